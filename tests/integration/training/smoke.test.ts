// The training pipeline end to end, checked from KneeGrade's side: the Python smoke run trains a
// ResNet18 for a few steps on real knee crops, exports ONNX + model card + parity fixture, and this
// test loads that folder through the app's registry, runs it through the app's inference worker and
// rebuilds the model input with the app's preprocessing from the original crop. Both must give the
// PyTorch logits within 1e-4. Needs the project's .venv (torch) and ../shared/data; skips otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceHost } from '../../../src/core/inference/host';
import { verifyModelDir, type InstalledModel } from '../../../src/core/inference/registry';
import { loadImage } from '../../../src/core/image/load';
import { prepareInput } from '../../../src/core/preprocess/pipeline';
import { maxAbsDiff, readParityInput } from './parity-input';

const repoRoot = path.resolve(__dirname, '../../..');
const python = path.join(repoRoot, '.venv', 'bin', 'python');
const kneeKl = path.resolve(repoRoot, '..', 'shared', 'data', 'knee-kl', 'kneeKL224-clahe');
const hasTorch =
  existsSync(python) && spawnSync(python, ['-c', 'import torch, onnx, onnxruntime'], { stdio: 'ignore' }).status === 0;
const hasShared = existsSync(kneeKl);
if (!hasTorch) console.log(`[training smoke] skipped: no Python with torch/onnx/onnxruntime at ${python} (run scripts/setup-python.sh)`);
else if (!hasShared) console.log(`[training smoke] skipped: third-party knee crops not found at ${kneeKl}`);

interface ParityResult {
  image: string;
  input: string;
  logitsTorch: number[];
  logitsOnnx: number[];
}
interface Manifest {
  dataRoot: string;
  images: { id: string; source: string; grade: number; cropSha256: string; appliedSteps: string[] }[];
  models: { name: string; onnxSha256: string; size: number; results: ParityResult[] }[];
}


describe.skipIf(!hasTorch || !hasShared)('training smoke: PyTorch -> ONNX -> KneeGrade inference', () => {
  let work: string;
  let summary: { model: string; parity: string };
  let manifest: Manifest;
  let model: InstalledModel;
  let host: InferenceHost;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kneegrade-train-smoke-'));
    const r = spawnSync(
      python,
      ['-m', 'kneegrade_train.smoke', '--out', work, '--data', kneeKl, '--arch', 'resnet18', '--size', '64'],
      { cwd: path.join(repoRoot, 'training'), encoding: 'utf8', timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error(`python smoke failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    summary = JSON.parse(lines[lines.length - 1]!) as { model: string; parity: string };
    manifest = JSON.parse(readFileSync(summary.parity, 'utf8')) as Manifest;
    model = await verifyModelDir(summary.model);
    host = new InferenceHost({ threads: 1, provider: 'cpu' });
  }, 600_000);

  afterAll(async () => {
    await host?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exports a folder the registry accepts (card schema, sha256, ONNX signature)', () => {
    expect(model.card.approach).toBe('end-to-end');
    if (model.card.approach !== 'end-to-end') return;
    expect(model.card.architecture).toBe('resnet18');
    expect(model.card.input.size).toBe(64);
    expect(model.card.tta).toEqual(['hflip']);
    expect(model.card.training.licence).toBe('CC BY 4.0');
    expect(model.card.validation?.n).toBe(20);
    expect(manifest.models).toHaveLength(1);
    expect(manifest.models[0]!.onnxSha256).toBe(model.card.sha256);
    expect(manifest.models[0]!.results).toHaveLength(3);
  });

  it('the stored input tensors give the PyTorch logits through the app inference worker', async () => {
    const card = model.card;
    if (card.approach !== 'end-to-end') throw new Error('expected an end-to-end card');
    const ref = { file: model.file, sha256: card.sha256, inputName: card.input.name, outputName: card.output.name };
    const { results, size } = manifest.models[0]!;
    const batch = new Float32Array(results.length * 3 * size * size);
    results.forEach((r, i) => batch.set(readParityInput(path.join(path.dirname(summary.parity), r.input), size), i * 3 * size * size));
    const out = await host.run(ref, batch, [results.length, 3, size, size]);
    expect(out.dims).toEqual([results.length, 5]);
    results.forEach((r, i) => {
      const logits = out.data.subarray(i * 5, (i + 1) * 5);
      expect(maxAbsDiff(logits, r.logitsTorch)).toBeLessThan(1e-4);
    });
    // Different knees, different logits: the comparison is not between constants.
    expect(maxAbsDiff(out.data.subarray(0, 5), out.data.subarray(5, 10))).toBeGreaterThan(1e-4);
  });

  it("KneeGrade's own preprocessing of the original crop reproduces PyTorch's input and logits", async () => {
    const card = model.card;
    if (card.approach !== 'end-to-end') throw new Error('expected an end-to-end card');
    const ref = { file: model.file, sha256: card.sha256, inputName: card.input.name, outputName: card.output.name };
    const dataRoot = path.resolve(repoRoot, '..', manifest.dataRoot);
    for (const r of manifest.models[0]!.results) {
      const image = manifest.images.find((im) => im.id === r.image)!;
      const loaded = await loadImage(path.join(dataRoot, image.source));
      expect(createHash('sha256').update(loaded.display8).digest('hex')).toBe(image.cropSha256);
      const prepared = prepareInput(
        {
          image: { width: loaded.width, height: loaded.height, pixels: loaded.display8 },
          crop: { x: 0, y: 0, w: loaded.width, h: loaded.height },
          side: 'R',
          appliedSteps: image.appliedSteps,
        },
        card.input,
      );
      const stored = readParityInput(path.join(path.dirname(summary.parity), r.input), card.input.size);
      expect(maxAbsDiff(prepared.tensor, stored)).toBeLessThan(1e-5);
      const out = await host.run(ref, prepared.tensor, [1, 3, card.input.size, card.input.size]);
      expect(maxAbsDiff(out.data, r.logitsTorch)).toBeLessThan(1e-4);
    }
  });
});
