// Benchmark: model inference. For every end-to-end model (the default models in resources/models,
// or, before they are exported, the training checkpoints exported on the fly), images/s at batch 1 and
// 16 and peak memory with onnxruntime-node through KneeGrade's worker, beside PyTorch CPU eager running
// the same architecture and weights in the same run, with the same thread count. Then int8 (static
// QDQ) variants, kept only where the validation QWK stays within 0.01 of fp32.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyModelDir } from '../../src/core/inference/registry';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '..', '..');
const PY = path.join(ROOT, '.venv', 'bin', 'python');
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'knee-kl', 'kneeKL224-clahe');
const THREADS = Number(process.env.KNEEGRADE_BENCH_THREADS ?? 2);

interface Target {
  name: string;
  arch: string;
  size: number;
  onnx?: string;
  ckpt?: string;
  source: string;
}

interface Speed {
  batch1: number;
  batch16: number;
  peakRssMb: number;
  provider?: string;
  weights?: string;
  size?: number;
}

function json<T>(cmd: string, args: string[]): T {
  const out = execFileSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 24,
  });
  const line = out.trim().split('\n').pop()!;
  return JSON.parse(line) as T;
}

function ckptFor(arch: string): string | undefined {
  const p = path.join(ROOT, 'training', 'runs', arch, 'best.ckpt');
  return existsSync(p) ? p : undefined;
}

/** The checkpoint the card's export command names (relative to training/), when it still exists. */
function ckptFromCard(training: Record<string, unknown>): string | undefined {
  const cmd = typeof training.exportCommand === 'string' ? training.exportCommand : '';
  const m = cmd.match(/--ckpt\s+(\S+)/);
  if (!m) return undefined;
  const p = path.resolve(ROOT, 'training', m[1]!.replace(/^'|'$/g, ''));
  return existsSync(p) ? p : undefined;
}

async function targets(): Promise<Target[]> {
  const dir = path.join(ROOT, 'resources', 'models');
  const out: Target[] = [];
  if (existsSync(dir)) {
    for (const d of readdirSync(dir)) {
      try {
        const m = await verifyModelDir(path.join(dir, d), 'default');
        if (m.card.approach !== 'end-to-end') continue;
        // A shipped int8 variant (kneegrade_train.quantize) is measured in its source's int8 row, made
        // by the same code; quantising it again would measure nothing real.
        if ('quantisation' in m.card.training) continue;
        // Cards name architectures 'convnext-atto'; models.py builds 'convnext_atto'.
        const arch = m.card.architecture.replace(/-/g, '_');
        const ckpt = ckptFromCard(m.card.training) ?? ckptFor(arch);
        out.push({
          name: m.card.name,
          arch,
          size: m.card.input.size,
          onnx: m.file,
          ...(ckpt ? { ckpt } : {}),
          source: `resources/models/${d}`,
        });
      } catch {
        // not installed / refused: not benchmarked
      }
    }
  }
  if (out.length === 0) {
    for (const arch of ['resnet18', 'convnext_atto']) {
      const ckpt = ckptFor(arch);
      if (ckpt)
        out.push({
          name: arch,
          arch,
          size: 0,
          ckpt,
          source: `training/runs/${arch}/best.ckpt (exported for the benchmark)`,
        });
    }
  }
  return out;
}

const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

export async function bench(): Promise<string> {
  const lines = ['## Model inference (onnxruntime-node vs PyTorch CPU eager)', ''];
  if (!existsSync(PY)) return `${lines.join('\n')}Skipped: .venv (PyTorch) not found.\n`;
  const list = await targets();
  if (list.length === 0)
    return `${lines.join('\n')}Skipped: no exported models in resources/models and no training checkpoints.\n`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kg-bench-inf-'));
  const rows: string[] = [];
  const quant: string[] = [];
  try {
    for (const t of list) {
      const exported = t.onnx ?? path.join(tmp, `${t.name}.onnx`);
      const torchArgs = [
        path.join('bench', 'torch_speed.py'),
        '--arch',
        t.arch,
        '--size',
        String(t.size),
        '--threads',
        String(THREADS),
      ];
      if (t.ckpt) torchArgs.push('--ckpt', t.ckpt);
      if (!t.onnx) torchArgs.push('--export-onnx', exported);
      const pt = json<Speed>(PY, torchArgs);
      const size = t.size || pt.size || 224;
      const ort = json<Speed>(process.execPath, [
        '--import',
        'tsx',
        path.join('bench', 'ort_speed.mts'),
        exported,
        String(size),
        String(THREADS),
      ]);
      const ratio = ort.batch16 / pt.batch16;
      rows.push(
        `| ${t.name} | ${size} | ${f(ort.batch1)} | ${f(pt.batch1)} | ${f(ort.batch16)} | ${f(pt.batch16)} | **${ratio.toFixed(2)}x** ${ratio >= 1.5 ? '(meets 1.5x)' : '(below 1.5x)'} | ${ort.peakRssMb.toFixed(0)} | ${pt.peakRssMb.toFixed(0)} | ${ort.provider} | ${pt.weights ?? ''} |`,
      );
      if (existsSync(DATA) && process.env.KNEEGRADE_BENCH_INT8 !== '0') {
        const int8 = path.join(tmp, `${t.name}-int8.onnx`);
        try {
          const q = json<{
            fp32: { qwk: number; bytes: number };
            int8: { qwk: number; bytes: number };
            qwkDelta: number;
            keep: boolean;
            valN: number;
          }>(PY, [
            path.join('bench', 'quantize_int8.py'),
            '--onnx',
            exported,
            '--size',
            String(size),
            '--data',
            DATA,
            '--out',
            int8,
            '--threads',
            String(THREADS),
          ]);
          const qs = json<Speed>(process.execPath, [
            '--import',
            'tsx',
            path.join('bench', 'ort_speed.mts'),
            int8,
            String(size),
            String(THREADS),
          ]);
          quant.push(
            `| ${t.name} | ${q.fp32.qwk.toFixed(4)} | ${q.int8.qwk.toFixed(4)} | ${q.qwkDelta >= 0 ? '+' : ''}${q.qwkDelta.toFixed(4)} | ${(q.fp32.bytes / 1e6).toFixed(1)} / ${(q.int8.bytes / 1e6).toFixed(1)} MB | ${f(ort.batch16)} / ${f(qs.batch16)} | ${q.keep ? 'keep' : 'reject (QWK moves > 0.01)'} |`,
          );
        } catch (e) {
          quant.push(
            `| ${t.name} | int8 quantisation failed: ${(e as Error).message.split('\n')[0]} | | | | | |`,
          );
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  lines.push(
    `Images per second (higher is better) and peak resident memory of a process that only runs that model; ${THREADS} threads on both sides, random inputs, warm-up excluded. onnxruntime runs through KneeGrade's worker thread (the path \`kneegrade predict\` uses), PyTorch is \`torch.inference_mode()\` eager on the same weights.`,
    '',
    '| model | input | ORT b1 | PyTorch b1 | ORT b16 | PyTorch b16 | ORT / PyTorch at b16 | ORT peak MB | PyTorch peak MB | ORT provider | weights |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  );
  if (quant.length) {
    lines.push(
      '### int8 variants (static QDQ, per-channel int8 weights, percentile calibration on 128 train knees, first convolution and classifier kept in float)',
      '',
      "Validation QWK on the whole val split with the card's hflip TTA, both files through onnxruntime. A variant is kept only when its QWK is within 0.01 of fp32.",
      '',
      '| model | val QWK fp32 | val QWK int8 | change | size fp32 / int8 | ORT b16 img/s fp32 / int8 | verdict |',
      '|---|---|---|---|---|---|---|',
      ...quant,
      '',
    );
  }
  return lines.join('\n');
}

// `node --import tsx bench/sections/inference.ts` runs this section alone.
if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  void bench().then((s) => process.stdout.write(`${s}\n`));
}
