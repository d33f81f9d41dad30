// onnxruntime-node speed of one ONNX model through KneeGrade's own inference host (worker thread):
// images/s at batch 1 and 16 and the process's peak RSS. Run as its own process so the memory figure
// is this model's alone. Prints one JSON line.
//   node --import tsx bench/ort_speed.mts <model.onnx> <size> [threads]
import { performance } from 'node:perf_hooks';
import { InferenceHost } from '../src/core/inference/host';
import { sha256File } from '../src/core/inference/sha256';

const [file, sizeArg, threadsArg] = process.argv.slice(2);
if (!file || !sizeArg) throw new Error('usage: ort_speed.mts <model.onnx> <size> [threads]');
const size = Number(sizeArg);
const threads = Number(threadsArg ?? 2);
const host = new InferenceHost({ threads, provider: 'auto' });
const ref = { file, sha256: await sha256File(file), inputName: 'input', outputName: 'logits' };

async function imagesPerS(
  batch: number,
  minRuns: number,
  minMs: number,
): Promise<{ rate: number; provider: string }> {
  const make = () => {
    const x = new Float32Array(batch * 3 * size * size);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i) * 1.5;
    return x;
  };
  let provider = '';
  for (let i = 0; i < 2; i++) provider = (await host.run(ref, make(), [batch, 3, size, size])).provider;
  let runs = 0;
  let busy = 0;
  const t0 = performance.now();
  while (runs < minRuns || performance.now() - t0 < minMs) {
    const x = make(); // input building is not the model's time
    const s = performance.now();
    await host.run(ref, x, [batch, 3, size, size]);
    busy += performance.now() - s;
    runs++;
  }
  return { rate: (runs * batch) / (busy / 1000), provider };
}

const b1 = await imagesPerS(1, 20, 3000);
const b16 = await imagesPerS(16, 5, 3000);
await host.close();
process.stdout.write(
  `${JSON.stringify({ file, size, threads, provider: b16.provider, batch1: b1.rate, batch16: b16.rate, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
