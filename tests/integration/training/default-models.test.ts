// The default models shipped in resources/models: the registry accepts them (card schema, sha256,
// ONNX signature), their cards carry the full validation record, they fit the size budget, and the
// app's inference worker reproduces PyTorch's logits on the parity fixture (tests/fixtures/parity,
// written by training/kneegrade_train/export.py with the same files). When the third-party crops are
// present, the app's preprocessing of the original crop is checked against PyTorch's input too.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceHost } from '../../../src/core/inference/host';
import { listModels, type InstalledModel } from '../../../src/core/inference/registry';
import { loadImage } from '../../../src/core/image/load';
import { prepareInput } from '../../../src/core/preprocess/pipeline';
import { maxAbsDiff, readParityInput } from './parity-input';

const repoRoot = path.resolve(__dirname, '../../..');
const modelsRoot = path.join(repoRoot, 'resources', 'models');
const parityDir = path.join(repoRoot, 'tests', 'fixtures', 'parity');
const END_TO_END = ['convnext-atto-kl', 'resnet18-kl'];
// int8 variants ship only where they held the val QWK (training/kneegrade_train/quantize.py); each names
// the exact file it was made from.
const INT8 = readdirSync(modelsRoot)
  .filter((n) => n.endsWith('-int8'))
  .sort();
const dataRoot = path.resolve(repoRoot, '..', 'shared', 'data', 'knee-kl', 'kneeKL224-clahe');
if (!existsSync(dataRoot)) console.log(`[default models] crops not found at ${dataRoot}: the preprocessing check is skipped`);

interface Manifest {
  dataRoot: string;
  images: { id: string; source: string; cropSha256: string; appliedSteps: string[] }[];
  models: { name: string; onnxSha256: string; size: number; results: { image: string; input: string; logitsTorch: number[] }[] }[];
}


describe('default models in resources/models', () => {
  let installed: Map<string, InstalledModel>;
  let manifest: Manifest;
  let host: InferenceHost;

  beforeAll(async () => {
    const entries = await listModels({ defaults: modelsRoot, user: path.join(repoRoot, 'out', 'no-user-models') });
    installed = new Map(entries.filter((e): e is InstalledModel => e.ok).map((e) => [e.card.name, e]));
    const refused = entries.filter((e) => !e.ok);
    // BioMedCLIP ships as a card without weights: listed as not installed, with the reason.
    expect(refused.map((e) => [e.name, /model file named by the card is missing/.test(e.ok ? '' : e.reason)])).toEqual([
      ['biomedclip-vitb16', true],
    ]);
    manifest = JSON.parse(readFileSync(path.join(parityDir, 'manifest.json'), 'utf8')) as Manifest;
    host = new InferenceHost({ threads: 1, provider: 'cpu' });
  });
  afterAll(async () => host?.close());

  it('both end-to-end models (and their int8 variants) pass the registry; the two fit the 60 MB budget together', () => {
    expect(INT8).toContain('resnet18-kl-int8');
    expect([...installed.keys()].sort()).toEqual([...END_TO_END, ...INT8].sort());
    const bytes = END_TO_END.reduce((s, n) => s + statSync(installed.get(n)!.file).size, 0);
    expect(bytes).toBeLessThan(60e6);
  });

  it.each(END_TO_END)('%s: the card records the full val evaluation and the training provenance', (name) => {
    const card = installed.get(name)!.card;
    if (card.approach !== 'end-to-end') throw new Error(`${name}: expected an end-to-end card`);
    expect(card.tta).toEqual(['hflip']);
    expect(card.input.crop.nativePx).toBe(224);
    expect(card.input.contrast).toEqual({ step: 'clahe', clipLimit: 2, tiles: 8 });
    expect(card.input.mirrorLeft).toBe(false);
    const v = card.validation!;
    expect(v).toMatchObject({ split: 'val', n: 826 });
    expect(v.perGrade!.map((g) => g.support)).toEqual([328, 153, 212, 106, 27]);
    expect(v.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(826);
    const diagonal = v.confusion!.reduce((s, row, i) => s + row[i]!, 0);
    expect(diagonal / 826).toBeCloseTo(v.exactAccuracy!, 10);
    expect(card.training.licence).toBe('CC BY 4.0');
    expect(card.training.attribution).toMatch(/10\.17632\/56rmx5bjcr\.1/);
    expect(card.training.attribution).toMatch(/Osteoarthritis Initiative/);
    expect(card.training.command).toMatch(/kneegrade_train\.train --arch/);
    expect(card.training.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(card.training.seed).toBe(42);
  });

  it.each(END_TO_END)('%s: the app inference worker reproduces the PyTorch logits of the parity fixture', async (name) => {
    const m = installed.get(name)!;
    const card = m.card;
    if (card.approach !== 'end-to-end') throw new Error(`${name}: expected an end-to-end card`);
    const entry = manifest.models.find((e) => e.name === name)!;
    expect(entry.onnxSha256).toBe(card.sha256); // the fixture was made from this very file
    const ref = { file: m.file, sha256: card.sha256, inputName: card.input.name, outputName: card.output.name };
    const size = card.input.size;
    for (const r of entry.results) {
      const out = await host.run(ref, readParityInput(path.join(parityDir, r.input), size), [1, 3, size, size]);
      expect(maxAbsDiff(out.data, r.logitsTorch)).toBeLessThan(1e-4);
    }
  });

  it.skipIf(!existsSync(dataRoot))("the app's preprocessing of the original val crops gives PyTorch's input tensors", async () => {
    expect(path.resolve(repoRoot, '..', manifest.dataRoot)).toBe(dataRoot);
    for (const entry of manifest.models) {
      for (const r of entry.results) {
        const image = manifest.images.find((im) => im.id === r.image)!;
        const loaded = await loadImage(path.join(dataRoot, image.source));
        expect(createHash('sha256').update(loaded.display8).digest('hex')).toBe(image.cropSha256);
        const card = installed.get(entry.name)!.card;
        if (card.approach !== 'end-to-end') throw new Error('expected an end-to-end card');
        const prepared = prepareInput(
          {
            image: { width: loaded.width, height: loaded.height, pixels: loaded.display8 },
            crop: { x: 0, y: 0, w: loaded.width, h: loaded.height },
            side: 'R',
            appliedSteps: image.appliedSteps,
          },
          card.input,
        );
        expect(maxAbsDiff(prepared.tensor, readParityInput(path.join(parityDir, r.input), card.input.size))).toBeLessThan(1e-5);
      }
    }
  });

  it.each(INT8)('%s: made from the shipped source file, holds its val QWK, and runs in the app worker', async (name) => {
    const m = installed.get(name)!;
    const card = m.card;
    if (card.approach !== 'end-to-end') throw new Error(`${name}: expected an end-to-end card`);
    const sourceName = name.replace(/-int8$/, '');
    const source = installed.get(sourceName)!.card;
    if (source.approach !== 'end-to-end') throw new Error(`${sourceName}: expected an end-to-end card`);
    const training = card.training as unknown as {
      quantisation: { source: { name: string; sha256: string }; qwkDelta: number; tolerance: number };
    };
    expect(training.quantisation.source).toMatchObject({ name: sourceName, sha256: source.sha256 });
    expect(Math.abs(card.validation!.qwk - source.validation!.qwk)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(training.quantisation.qwkDelta)).toBeLessThanOrEqual(training.quantisation.tolerance);
    expect(card.input).toEqual(source.input); // the same input contract: the app prepares knees once for both
    expect(statSync(m.file).size).toBeLessThan(0.6 * statSync(installed.get(sourceName)!.file).size);
    // On the parity inputs the int8 file grades like its source (PyTorch's logits of the source model).
    const entry = manifest.models.find((e) => e.name === sourceName)!;
    const ref = { file: m.file, sha256: card.sha256, inputName: card.input.name, outputName: card.output.name };
    const size = card.input.size;
    const argmax = (v: ArrayLike<number>): number => Array.from(v).indexOf(Math.max(...Array.from(v)));
    for (const r of entry.results) {
      const out = await host.run(ref, readParityInput(path.join(parityDir, r.input), size), [1, 3, size, size]);
      console.log(`[default models] ${name} ${r.image}: max |logit - source's PyTorch logit| ${maxAbsDiff(out.data, r.logitsTorch).toFixed(3)}`);
      expect(argmax(out.data)).toBe(argmax(r.logitsTorch));
      expect(maxAbsDiff(out.data, r.logitsTorch)).toBeLessThan(0.1); // measured 0.014-0.020 (resnet18), 0.031-0.041 (convnext-atto)
    }
  });
});
