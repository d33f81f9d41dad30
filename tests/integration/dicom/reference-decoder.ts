import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the third-party samples live (never copied into the project) and the Debian reference decoder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const samplesDir = path.resolve(repoRoot, '..', 'shared', 'data', 'dicom-samples');
export const hasSamples = existsSync(path.join(samplesDir, 'manifest.tsv'));
export const referencePython = '/usr/bin/python3';
export const referenceScript = path.join(repoRoot, 'scripts', 'reference', 'dicom_reference.py');

function checkReference(): string | undefined {
  if (!existsSync(referencePython)) return `${referencePython} not found`;
  const r = spawnSync(referencePython, [referenceScript, 'check'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || r.stdout).trim().split('\n').pop();
}
export const referenceProblem = checkReference();
export const hasReference = referenceProblem === undefined;

export interface ManifestRow {
  file: string;
  transferSyntax: string;
  modality: string;
  frames: number;
  notes: string;
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(path.join(samplesDir, 'manifest.tsv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split('\t');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return {
      file: c[col('file')]!,
      transferSyntax: c[col('transfer_syntax_uid')]!,
      modality: c[col('modality')] ?? '',
      frames: Number(c[col('frames')] ?? 1) || 1,
      notes: c[col('notes')] ?? '',
    };
  });
}

export interface ReferenceFrame {
  stored: Int32Array;
  /** After the Modality LUT; monochrome only. */
  modality?: Float32Array;
}

export interface ReferenceResult {
  ok: boolean;
  error?: string;
  rows?: number;
  columns?: number;
  samplesPerPixel?: number;
  photometric?: string;
  frames: Map<number, ReferenceFrame>;
}

/** Decode with pydicom 2.3 + GDCM (Debian) into a temp folder and read the arrays back. */
export function referenceDecode(file: string, frames: number[]): ReferenceResult {
  const out = mkdtempSync(path.join(os.tmpdir(), 'kg-dicomref-'));
  const r = spawnSync(referencePython, [referenceScript, 'decode', file, out, ...frames.map(String)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`reference decoder failed on ${file}: ${r.stderr}`);
  const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')) as Omit<
    ReferenceResult,
    'frames'
  > & { written?: number[] };
  const result: ReferenceResult = { ...meta, frames: new Map() };
  for (const f of meta.written ?? []) {
    const i32 = readFileSync(path.join(out, `frame_${f}.i32`));
    const stored = new Int32Array(i32.buffer.slice(i32.byteOffset, i32.byteOffset + i32.byteLength));
    const modPath = path.join(out, `frame_${f}.mod.f32`);
    let modality: Float32Array | undefined;
    if (existsSync(modPath)) {
      const b = readFileSync(modPath);
      modality = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    result.frames.set(f, { stored, ...(modality ? { modality } : {}) });
  }
  return result;
}
