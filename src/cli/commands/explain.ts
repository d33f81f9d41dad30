// kneegrade explain — occlusion-sensitivity map of one model's grade of one knee, as numbers or a
// PNG overlay on the crop the model saw.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { explainKnee, toGrid } from '../../core/inference/explain';
import { overlayPng } from '../../core/inference/overlay';
import { findModel, ModelRefusedError } from '../../core/inference/registry';
import { CliError, EXIT } from '../context';
import { cancelOnSigint, dbPathOf, globals, makeHost, modelRootsOf, openDb, out } from './models';

export function register(program: Command): void {
  program
    .command('explain')
    .description('occlusion-sensitivity map: where covering the knee changes the model’s grade most')
    .requiredOption('--knee <id>', 'knee id')
    .requiredOption('--model <name>', 'end-to-end model name')
    .option('--png <file>', 'write the map as a PNG overlay on the model’s crop')
    .option('--grid <n>', 'grid cells per side in the printed map', '8')
    .option('--patch <fraction>', 'occluding patch side as a fraction of the model input', '0.125')
    .option('--provider <p>', 'auto, cpu or cuda', 'auto')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .action(
      async (
        opts: {
          knee: string;
          model: string;
          png?: string;
          grid: string;
          patch: string;
          provider: string;
          threads?: string;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const kneeId = Number(opts.knee);
        const grid = Number(opts.grid);
        const patch = Number(opts.patch);
        if (!Number.isInteger(kneeId) || kneeId <= 0)
          throw new CliError('--knee must be a knee id', EXIT.USAGE);
        if (!Number.isInteger(grid) || grid < 2 || grid > 32)
          throw new CliError('--grid must be an integer 2..32', EXIT.USAGE);
        if (!(patch > 0 && patch <= 0.5))
          throw new CliError('--patch must be a fraction in (0, 0.5]', EXIT.USAGE);
        let model;
        try {
          model = await findModel(modelRootsOf(g), opts.model);
        } catch (e) {
          if (e instanceof ModelRefusedError) throw new CliError(e.message);
          throw e;
        }
        const db = openDb(g);
        const host = makeHost(opts);
        const sig = cancelOnSigint();
        try {
          const m = await explainKnee({
            db,
            host,
            model,
            kneeId,
            patchFraction: patch,
            cacheDir: path.join(path.dirname(path.resolve(dbPathOf(g))), 'cache', 'occlusion'),
            signal: sig.signal,
          });
          if (opts.png) writeFileSync(opts.png, overlayPng(m));
          const gridMap = toGrid(m, grid);
          const { native: _native, map: _map, ...rest } = m;
          out(g, { ...rest, grid: gridMap, png: opts.png ?? null }, () =>
            [
              `knee ${kneeId}, ${m.model}: KL${m.klg} (p=${m.probs[m.klg]!.toFixed(3)}), ${m.cached ? 'from cache' : `computed on ${m.provider}`}`,
              `probability drop when occluded (${grid}x${grid}, 0 = no effect, 9 = largest):`,
              ...Array.from(
                { length: grid },
                (_, r) =>
                  '  ' +
                  gridMap.values
                    .slice(r * grid, (r + 1) * grid)
                    .map((v) => String(Math.round(v * 9)))
                    .join(' '),
              ),
              ...(opts.png ? [`overlay written to ${opts.png}`] : []),
            ].join('\n'),
          );
        } catch (e) {
          throw new CliError((e as Error).message);
        } finally {
          sig.dispose();
          await host.close();
          db.close();
        }
      },
    );
}
