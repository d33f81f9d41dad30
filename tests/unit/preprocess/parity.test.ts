// Parity with the training pipeline: for the same image, the TypeScript model input must equal
// training/kneegrade_train/preprocess.py's to_input within 1e-5, and onnxruntime's logits on it must
// equal PyTorch's within 1e-4. The generated image runs from a committed reference (no Python needed);
// real OAI knee crops from ../shared run live against Python when both are present.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCardText, type EndToEndCard } from '../../../src/core/inference/card';
import { InferenceHost } from '../../../src/core/inference/host';
import { prepareInput, toTensor } from '../../../src/core/preprocess/pipeline';
import {
  fixtureImage,
  hasShared,
  hasVenv,
  repoRoot,
  runPythonOnBytes,
  sharedData,
  venvPython,
} from './helpers';

const MODEL_DIR = path.join(repoRoot, 'tests/fixtures/models/tiny-kl');
const card = parseCardText(
  readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8'),
  'tiny-kl',
) as EndToEndCard;
const ref = {
  file: path.join(MODEL_DIR, 'model.onnx'),
  sha256: card.sha256,
  inputName: 'input',
  outputName: 'logits',
};
let host: InferenceHost;
beforeAll(() => {
  host = new InferenceHost({ threads: 1, provider: 'cpu' });
});
afterAll(() => host.close());

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('parity on the generated image (committed reference)', () => {
  const expected = JSON.parse(
    readFileSync(path.join(repoRoot, 'tests/fixtures/models/parity-generated.json'), 'utf8'),
  ) as {
    tensorChannel0: number[];
    logits: number[];
  };

  it('tensor equals to_input within 1e-5 and logits equal PyTorch within 1e-4', async () => {
    const t = toTensor(fixtureImage(), 224, card.input);
    const plane = 32 * 32;
    const tensorDiff = maxAbsDiff(t.subarray(0, plane), expected.tensorChannel0);
    expect(tensorDiff).toBeLessThan(1e-5);
    // The grey crop is replicated to 3 channels.
    expect(maxAbsDiff(t.subarray(plane, 2 * plane), t.subarray(0, plane))).toBe(0);
    const out = await host.run(ref, t, [1, 3, 32, 32]);
    const logitDiff = maxAbsDiff(out.data, expected.logits);
    expect(logitDiff).toBeLessThan(1e-4);
    console.info(
      `parity (generated image): max |tensor diff| ${tensorDiff.toExponential(2)}, max |logit diff| ${logitDiff.toExponential(2)}`,
    );
  });

  it('would notice a preprocessing slip (mean off by one grey level)', () => {
    const shifted = {
      ...card.input,
      normalisation: {
        ...card.input.normalisation,
        mean: [0.5 + 1 / 255, 0.5, 0.5] as [number, number, number],
      },
    };
    const t = toTensor(fixtureImage(), 224, shifted);
    expect(maxAbsDiff(t.subarray(0, 1024), expected.tensorChannel0)).toBeGreaterThan(1e-5);
  });
});

const PY_REF = `
import numpy as np, torch, sys
from pathlib import Path
sys.path.insert(0, 'training'); sys.path.insert(0, 'tests/fixtures/models')
from kneegrade_train.data import load_grey
from kneegrade_train.preprocess import to_input
from make_tiny_models import TinyNet
net = TinyNet(5); net.load_state_dict(torch.load('tests/fixtures/models/tiny-kl-state.pth')); net.eval()
x = np.stack([load_grey(Path(p)) for p in ARGS['files']])
with torch.no_grad():
    t = to_input(torch.from_numpy(x), ARGS['size'])
    logits = net(t)
open(OUT, 'wb').write(t.numpy().astype('<f4').tobytes() + logits.numpy().astype('<f4').tobytes())
`;

if (!hasShared)
  console.warn(
    `parity.test: ${sharedData} not present; skipping the real-knee parity (generated image still checked)`,
  );
if (!hasVenv) console.warn('parity.test: .venv (PyTorch) not present; skipping the live Python parity');

describe.skipIf(!hasShared || !hasVenv)('parity on real OAI knee crops (../shared, live PyTorch)', () => {
  it('one knee per KL grade: tensors within 1e-5, logits within 1e-4, CLAHE not applied twice', async () => {
    const root = path.join(sharedData, 'knee-kl/kneeKL224-clahe/val');
    const files = [0, 1, 2, 3, 4].map((g) => {
      const dir = path.join(root, String(g));
      return path.join(dir, readdirSync(dir).sort()[0]!);
    });
    const buf = runPythonOnBytes(venvPython, PY_REF, new Uint8Array(0), { files, size: 32 });
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const per = 3 * 32 * 32;
    for (let i = 0; i < files.length; i++) {
      const { data, info } = await sharp(files[i]!).raw().toBuffer({ resolveWithObject: true });
      const grey = new Uint8Array(info.width * info.height);
      for (let p = 0; p < grey.length; p++) grey[p] = data[p * info.channels]!;
      const prepared = prepareInput(
        {
          image: { width: info.width, height: info.height, pixels: grey },
          crop: { x: 0, y: 0, w: 224, h: 224 },
          side: 'R',
          appliedSteps: ['clahe'],
        },
        card.input,
      );
      expect(prepared.steps).toEqual(['crop']); // already CLAHE-enhanced: not enhanced twice
      const pyTensor = all.subarray(i * per, (i + 1) * per);
      const tensorDiff = maxAbsDiff(prepared.tensor, pyTensor);
      expect(tensorDiff).toBeLessThan(1e-5);
      const out = await host.run(ref, prepared.tensor.slice(), [1, 3, 32, 32]);
      const pyLogits = all.subarray(files.length * per + i * 5, files.length * per + (i + 1) * 5);
      const logitDiff = maxAbsDiff(out.data, pyLogits);
      expect(logitDiff).toBeLessThan(1e-4);
      console.info(
        `parity (${path.basename(files[i]!)}, KL${i}): max |tensor diff| ${tensorDiff.toExponential(2)}, max |logit diff| ${logitDiff.toExponential(2)}`,
      );
    }
  }, 180_000); // starting PyTorch takes a while on a busy machine
});
