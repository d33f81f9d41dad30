import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCard } from '../../../src/core/inference/card';
import { readOnnxSignature } from '../../../src/core/inference/onnx-proto';
import {
  addModel,
  findModel,
  listModels,
  removeModel,
  verifyModelDir,
  type ModelRoots,
} from '../../../src/core/inference/registry';
import { sha256Bytes } from '../../../src/core/inference/sha256';
import { writeHeadModel } from '../../../src/core/inference/head/head-model';

const FIXTURES = path.resolve(__dirname, '../../fixtures/models');
let tmp: string;
let roots: ModelRoots;

function copyFixture(name: string, dest: string): string {
  const dir = path.join(dest, name);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into arbitrary card fields
type AnyCard = any;
function editCard(dir: string, edit: (c: AnyCard) => void): void {
  const file = path.join(dir, 'model.json');
  const card = JSON.parse(readFileSync(file, 'utf8'));
  edit(card);
  writeFileSync(file, JSON.stringify(card));
}

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kg-reg-'));
  roots = { defaults: path.join(tmp, 'defaults'), user: path.join(tmp, 'user') };
  copyFixture('tiny-kl', roots.defaults);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('ONNX signature reader', () => {
  it('reads input and output names, types and shapes of the fixture', () => {
    const sig = readOnnxSignature(readFileSync(path.join(FIXTURES, 'tiny-kl', 'model.onnx')));
    expect(sig.inputs.map((i) => i.name)).toEqual(['input']);
    expect(sig.inputs[0]!.elemType).toBe(1);
    expect(sig.inputs[0]!.shape.map((d) => d.value ?? d.param)).toEqual(['batch', 3, 32, 32]);
    expect(sig.outputs[0]!.name).toBe('logits');
    expect(sig.outputs[0]!.shape.map((d) => d.value ?? d.param)).toEqual(['batch', 5]);
    expect(sig.opsetVersion).toBe(17);
  });
  it('refuses bytes that are not ONNX', () => {
    expect(() => readOnnxSignature(new TextEncoder().encode('hello, not a model'))).toThrow();
  });
});

describe('model card', () => {
  it('rejects a card with a wrong field and names the field', () => {
    const card = JSON.parse(readFileSync(path.join(FIXTURES, 'tiny-kl', 'model.json'), 'utf8'));
    card.input.normalisation.std = [0.25, 0, 0.25];
    expect(() => parseCard(card, 'x/model.json')).toThrow(/x\/model.json.*input\.normalisation\.std/);
    card.input.normalisation.std = [0.25, 0.25, 0.25];
    card.file = '../evil.onnx';
    expect(() => parseCard(card, 'x/model.json')).toThrow(/file/);
  });
});

describe('registry', () => {
  it('lists a valid default model', async () => {
    const all = await listModels(roots);
    expect(all).toHaveLength(1);
    expect(all[0]!.ok).toBe(true);
    const m = await findModel(roots, 'tiny-kl');
    expect(m.source).toBe('default');
  });

  it('refuses a model whose file differs from the card sha256', async () => {
    const dir = copyFixture('tiny-embed', roots.user);
    const onnx = path.join(dir, 'model.onnx');
    const bytes = readFileSync(onnx);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(onnx, bytes);
    await expect(verifyModelDir(dir)).rejects.toThrow(/sha256 [0-9a-f]{64} differs from the card's/);
    const entry = (await listModels(roots)).find((e) => e.dir === dir)!;
    expect(entry.ok).toBe(false);
    await expect(findModel(roots, 'tiny-embed')).rejects.toThrow(/differs/);
  });

  it('refuses a missing model file', async () => {
    const dir = copyFixture('tiny-embed', roots.user);
    rmSync(path.join(dir, 'model.onnx'));
    await expect(verifyModelDir(dir)).rejects.toThrow(/model\.onnx: model file named by the card is missing/);
  });

  it('refuses an ONNX whose input does not match the card', async () => {
    const dir = copyFixture('tiny-embed', roots.user);
    editCard(dir, (c) => (c.input.size = 64));
    await expect(verifyModelDir(dir)).rejects.toThrow(/dimension 2 is 32, the card says 64/);
    editCard(dir, (c) => {
      c.input.size = 32;
      c.input.name = 'pixels';
    });
    await expect(verifyModelDir(dir)).rejects.toThrow(
      /input 'pixels' named by the card is not in the ONNX graph \(graph inputs: input\)/,
    );
    editCard(dir, (c) => {
      c.input.name = 'input';
      c.output.dim = 512;
    });
    await expect(verifyModelDir(dir)).rejects.toThrow(/16 values per image, the card says 512/);
  });

  it('refuses a file that is not ONNX even with a matching sha256', async () => {
    const dir = copyFixture('tiny-embed', roots.user);
    writeFileSync(path.join(dir, 'model.onnx'), 'garbage');
    editCard(dir, (c) => (c.sha256 = sha256Bytes('garbage')));
    await expect(verifyModelDir(dir)).rejects.toThrow(/not a readable ONNX model/);
  });

  it('adds, lists and removes a user model; defaults cannot be removed', async () => {
    const src = copyFixture('tiny-embed', path.join(tmp, 'incoming'));
    const m = await addModel(roots, src);
    expect(m.dir).toBe(path.join(roots.user, 'tiny-embed'));
    expect((await listModels(roots)).filter((e) => e.ok)).toHaveLength(2);
    await expect(addModel(roots, src)).rejects.toThrow(/already installed/);
    await expect(removeModel(roots, 'tiny-kl')).rejects.toThrow(/default model/);
    await removeModel(roots, 'tiny-embed');
    expect((await listModels(roots)).filter((e) => e.ok)).toHaveLength(1);
  });
});

describe('embedding-head models', () => {
  const weights = (inputDim: number) => ({
    inputDim,
    hidden: 2,
    mean: new Array<number>(inputDim).fill(0),
    std: new Array<number>(inputDim).fill(1),
    w1: new Array<number>(2 * inputDim).fill(0.1),
    b1: [0, 0],
    w2: new Array<number>(10).fill(0.1),
    b2: [0, 0, 0, 0, 0],
  });
  const card = (dim: number) => ({
    name: 'mlp-test',
    version: '1.0.0',
    approach: 'embedding-head' as const,
    architecture: 'mlp',
    embeddingModel: { name: 'tiny-embed', version: '0.0.1', sha256: 'a'.repeat(64), dim },
    output: { name: 'probs' as const, kind: 'probs' as const, classes: 5 as const },
    training: { data: 'test' },
  });

  it('accepts a head whose weights fit its embedding model', async () => {
    const dir = path.join(roots.user, 'mlp-test');
    writeHeadModel(dir, card(16), weights(16));
    expect((await verifyModelDir(dir)).card.approach).toBe('embedding-head');
  });

  it('refuses a head whose weights do not fit the embedding size on its card', async () => {
    const dir = path.join(roots.user, 'mlp-test');
    writeHeadModel(dir, card(16), weights(8));
    await expect(verifyModelDir(dir)).rejects.toThrow(
      /the head takes 8 values, the card's embedding model gives 16/,
    );
  });
});
