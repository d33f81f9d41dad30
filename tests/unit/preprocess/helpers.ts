import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../../src/core/random/mulberry32';

export const repoRoot = path.resolve(__dirname, '../../..');
export const venvPython = path.join(repoRoot, '.venv', 'bin', 'python');
export const hasVenv = existsSync(venvPython);
export const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
export const hasShared = existsSync(path.join(sharedData, 'knee-kl', 'kneeKL224-clahe'));

/** Seeded PRNG (mulberry32) so generated test images are the same on every run. */
export const rng = mulberry32;

/** A smooth-plus-noise grey image: histogram spread like a radiograph's, not flat noise. */
export function testImage(width: number, height: number, seed: number): Uint8Array {
  const r = rng(seed);
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const base = 90 + 70 * Math.sin(x / 17) * Math.cos(y / 23) + 40 * (y / height);
      px[y * width + x] = Math.max(0, Math.min(255, Math.round(base + 25 * (r() - 0.5))));
    }
  return px;
}

/** The generated image of tests/fixtures/models/make_tiny_models.py. */
export function fixtureImage(): Uint8Array {
  const px = new Uint8Array(224 * 224);
  for (let y = 0; y < 224; y++)
    for (let x = 0; x < 224; x++) px[y * 224 + x] = (x * 7 + y * 13 + ((x * y) >> 5)) % 256;
  return px;
}

/**
 * Run a Python snippet with the raw image in `in.bin` and read back `out.bin`.
 * The snippet sees IN, OUT (paths) and ARGS (a JSON value).
 */
export function runPythonOnBytes(python: string, code: string, input: Uint8Array, args: unknown): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-py-'));
  try {
    const inFile = path.join(dir, 'in.bin');
    const outFile = path.join(dir, 'out.bin');
    writeFileSync(inFile, input);
    const prelude = `import json, sys\nIN=${JSON.stringify(inFile)}\nOUT=${JSON.stringify(outFile)}\nARGS=json.loads(${JSON.stringify(JSON.stringify(args))})\n`;
    execFileSync(python, ['-c', prelude + code], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    return readFileSync(outFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pythonHas(python: string, module: string): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
