// kneegrade models list|add|remove|verify — the model registry from the command line. Also holds the
// small helpers the other inference commands (predict, embed, head, explain) share.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { openDatabase, type Db } from '../../core/db/connection';
import { InferenceHost } from '../../core/inference/host';
import type { ProviderRequest } from '../../core/inference/protocol';
import {
  addModel,
  listModels,
  removeModel,
  verifyModelDir,
  ModelRefusedError,
  type ModelEntry,
  type ModelRoots,
} from '../../core/inference/registry';
import { defaultModelRoots } from '../../core/services/host';
import { CliError, defaultDbPath, EXIT, type GlobalOptions } from '../context';

const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The one command that makes the BioMedCLIP image encoder an installed embedding model. */
export const EMBEDDING_INSTALL_HINT =
  'cd training && ../.venv/bin/python -m kneegrade_train.biomedclip --checkpoint <open_clip_pytorch_model.bin> --out ../resources/models/biomedclip-vitb16 (weights: microsoft/BiomedCLIP-PubMedBERT_256-vit_base_patch16_224; see training/README.md)';

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export function dbPathOf(g: GlobalOptions): string {
  return g.db ?? defaultDbPath();
}

export function modelRootsOf(g: GlobalOptions): ModelRoots {
  const roots = defaultModelRoots(APP_ROOT, dbPathOf(g));
  if (process.env.KNEEGRADE_DEFAULT_MODELS) roots.defaults = process.env.KNEEGRADE_DEFAULT_MODELS;
  return roots;
}

/** Open an existing study database; these commands never create one (a typo must not start an empty study). */
export function openDb(g: GlobalOptions): Db {
  const file = dbPathOf(g);
  if (file !== ':memory:' && !existsSync(file))
    throw new CliError(`no study database at ${file} (give one with --db, or run kneegrade import first)`);
  return openDatabase({ file });
}

export function out(g: GlobalOptions, json: unknown, text: () => string): void {
  process.stdout.write(g.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

export function makeHost(opts: { provider?: string; threads?: string }): InferenceHost {
  const provider = (opts.provider ?? 'auto') as ProviderRequest;
  if (!['auto', 'cpu', 'cuda'].includes(provider))
    throw new CliError(`--provider must be auto, cpu or cuda (got '${provider}')`, EXIT.USAGE);
  const threads = opts.threads !== undefined ? Number(opts.threads) : undefined;
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
    throw new CliError('--threads must be a positive integer', EXIT.USAGE);
  return new InferenceHost({ provider, ...(threads ? { threads } : {}) });
}

/** Ctrl+C cancels the running job cleanly (what was stored stays); a second Ctrl+C exits at once. */
export function cancelOnSigint(): { signal: AbortSignal; dispose: () => void } {
  const ctrl = new AbortController();
  const onSig = () => {
    if (ctrl.signal.aborted) process.exit(130);
    process.stderr.write('\nkneegrade: cancelling after the current batch (Ctrl+C again to quit now)\n');
    ctrl.abort();
  };
  process.on('SIGINT', onSig);
  return { signal: ctrl.signal, dispose: () => process.off('SIGINT', onSig) };
}

/** A progress bar on a terminal; nothing when stderr is not a TTY or output is JSON. */
export function progressBar(g: GlobalOptions): {
  update: (p: { done: number; total: number; model: string | null }) => void;
  stop: () => void;
} {
  if (g.json || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: '{model} [{bar}] {value}/{total} knees | {eta_formatted} left',
    stream: process.stderr,
    hideCursor: true,
  });
  let current: string | null = null;
  return {
    update: (p) => {
      if (p.model !== current) {
        if (current !== null) bar.stop();
        current = p.model;
        bar.start(p.total, p.done, { model: p.model ?? '' });
      } else bar.update(p.done);
    },
    stop: () => {
      if (current !== null) bar.stop();
    },
  };
}

function entryJson(e: ModelEntry) {
  return e.ok
    ? {
        name: e.card.name,
        version: e.card.version,
        approach: e.card.approach,
        architecture: e.card.architecture,
        status: 'ready',
        source: e.source,
        dir: e.dir,
        sha256: e.card.sha256,
        validation: e.card.validation
          ? { split: e.card.validation.split, n: e.card.validation.n, qwk: e.card.validation.qwk }
          : null,
      }
    : {
        name: e.name,
        status: e.notInstalled ? 'not-installed' : 'refused',
        source: e.source,
        dir: e.dir,
        reason: e.reason,
      };
}

/** The two AI approaches and whether each has a model installed (with the command when not). */
export function approachStatus(
  entries: ModelEntry[],
): { approach: string; status: string; models: string[]; install?: string }[] {
  const ok = entries.filter((e) => e.ok);
  const names = (a: string) =>
    ok.filter((e) => e.ok && e.card.approach === a).map((e) => (e.ok ? e.card.name : ''));
  const e2e = names('end-to-end');
  const emb = names('embedding');
  const heads = names('embedding-head');
  return [
    { approach: 'end-to-end', status: e2e.length ? 'installed' : 'not installed', models: e2e },
    emb.length
      ? { approach: 'embedding', status: 'installed', models: [...emb, ...heads] }
      : { approach: 'embedding', status: 'not installed', models: heads, install: EMBEDDING_INSTALL_HINT },
  ];
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('list, add, verify and remove AI models (model folders: model.json + model file)');

  models
    .command('list')
    .description(
      'every installed model, verified (sha256, ONNX inputs vs card); refused ones with the reason',
    )
    .action(async (_opts, cmd: Command) => {
      const g = globals(cmd);
      const roots = modelRootsOf(g);
      const entries = await listModels(roots);
      const approaches = approachStatus(entries);
      out(g, { roots, models: entries.map(entryJson), approaches }, () => {
        const lines = [`default models: ${roots.defaults}`, `user models:    ${roots.user}`, ''];
        if (entries.length === 0) lines.push('no models installed');
        for (const e of entries) {
          if (e.ok) {
            const v = e.card.validation;
            lines.push(
              `  ${e.card.name.padEnd(24)} ${e.card.version.padEnd(8)} ${e.card.approach.padEnd(15)} ${e.source.padEnd(8)} sha256 ${e.card.sha256.slice(0, 12)}  ${v ? `val QWK ${v.qwk.toFixed(3)} (n=${v.n})` : ''}`,
            );
          } else if (e.notInstalled) lines.push(`  ${e.name.padEnd(24)} NOT INSTALLED: ${e.reason}`);
          else lines.push(`  ${e.name.padEnd(24)} REFUSED: ${e.reason}`);
        }
        lines.push('', 'approaches:');
        for (const a of approaches)
          lines.push(
            `  ${a.approach.padEnd(11)} ${a.status}${a.models.length ? ` (${a.models.join(', ')})` : ''}${a.install ? `; install with: ${a.install}` : ''}`,
          );
        return lines.join('\n');
      });
      if (entries.some((e) => !e.ok && !e.notInstalled)) process.exitCode = EXIT.PARTIAL;
    });

  models
    .command('add <folder>')
    .description('verify a model folder and copy it into the user models folder')
    .action(async (folder: string, _opts, cmd: Command) => {
      const g = globals(cmd);
      try {
        const m = await addModel(modelRootsOf(g), folder);
        out(g, entryJson(m), () => `added ${m.card.name} ${m.card.version} (${m.card.approach}) -> ${m.dir}`);
      } catch (e) {
        if (e instanceof ModelRefusedError) throw new CliError(e.message);
        throw e;
      }
    });

  models
    .command('verify <folder>')
    .description('check a model folder without installing it')
    .action(async (folder: string, _opts, cmd: Command) => {
      const g = globals(cmd);
      try {
        const m = await verifyModelDir(path.resolve(folder));
        out(
          g,
          entryJson(m),
          () => `ok: ${m.card.name} ${m.card.version}, sha256 matches, ONNX inputs/outputs match the card`,
        );
      } catch (e) {
        if (e instanceof ModelRefusedError) throw new CliError(e.message);
        throw e;
      }
    });

  models
    .command('remove <name>')
    .description('remove a user-added model (default models cannot be removed)')
    .action(async (name: string, _opts, cmd: Command) => {
      const g = globals(cmd);
      try {
        const dir = await removeModel(modelRootsOf(g), name);
        out(g, { removed: name, dir }, () => `removed ${name} (${dir})`);
      } catch (e) {
        if (e instanceof ModelRefusedError) throw new CliError(e.message);
        throw e;
      }
    });
}
