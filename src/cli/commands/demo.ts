import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../../core/db/connection';
import { DEMO_STEPS, runDemo, type DemoContext } from '../../core/demo';
import { CliError, EXIT, type GlobalOptions } from '../context';
import { progressBar } from './import';

export const DEMO_DIR = '.kneegrade-demo';

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'a complete demo from nothing: generate PHANTOM knee films, import them into a demo database with their true grades, ' +
        `and show the result. Steps: ${DEMO_STEPS.map((s) => s.name).join(', ')}. ` +
        `Default database: a fresh file in ./${DEMO_DIR}/ (or --db).`,
    )
    .option('--out <dir>', `folder for the phantom files (default ./${DEMO_DIR})`)
    .option('--count <n>', 'phantom films (two knees each)', '12')
    .option('--seed <n>', 'random seed of the phantoms', '1')
    .option('--scale <f>', 'phantom pixel scale (1 = full size ~2500x2000; 0.25 is quick, same anatomy)', '1')
    .option('--steps <names>', 'run only these steps (comma-separated)')
    .action(
      async (
        o: { out?: string; count: string; seed: string; scale: string; steps?: string },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const count = Number(o.count);
        const seed = Number(o.seed);
        if (!Number.isInteger(count) || count < 1 || count > 200)
          throw new CliError(`--count must be 1-200, got "${o.count}"`, EXIT.USAGE);
        if (!Number.isInteger(seed) || seed < 0)
          throw new CliError(`--seed must be a non-negative integer, got "${o.seed}"`, EXIT.USAGE);
        const scale = Number(o.scale);
        if (!(scale > 0 && scale <= 2))
          throw new CliError(`--scale must be in (0, 2], got "${o.scale}"`, EXIT.USAGE);
        const only = o.steps
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const unknown = only?.filter((s) => !DEMO_STEPS.some((d) => d.name === s)) ?? [];
        if (unknown.length)
          throw new CliError(
            `unknown demo step(s): ${unknown.join(', ')}; steps are ${DEMO_STEPS.map((s) => s.name).join(', ')}`,
            EXIT.USAGE,
          );

        const workDir = path.resolve(o.out ?? DEMO_DIR);
        mkdirSync(workDir, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const dbPath = path.resolve(globals.db ?? path.join(DEMO_DIR, `demo-${stamp}.db`));
        const db = openDatabase({ file: dbPath });
        const lines: string[] = [];
        let bar: ReturnType<typeof progressBar> | undefined;
        let barLabel = '';
        const ctx: DemoContext = {
          db,
          dbPath,
          workDir,
          count,
          seed,
          scale,
          results: {},
          log: (line) => {
            bar?.stop();
            bar = undefined;
            lines.push(line);
            if (!globals.json) process.stdout.write(`${line}\n`);
          },
          progress: (label, done, total) => {
            if (label !== barLabel || !bar) {
              bar?.stop();
              bar = progressBar(globals, label);
              barLabel = label;
            }
            bar.update(done, total);
            if (done >= total) {
              bar.stop();
              bar = undefined;
            }
          },
        };
        try {
          await runDemo(ctx, only);
        } finally {
          bar?.stop();
          db.close();
        }
        if (globals.json)
          process.stdout.write(
            `${JSON.stringify({ phantom: true, db: dbPath, workDir, steps: ctx.results, log: lines })}\n`,
          );
        const phantoms = ctx.results.phantoms as { errors?: unknown[] } | undefined;
        if (phantoms?.errors?.length) process.exitCode = EXIT.PARTIAL;
      },
    );
}
