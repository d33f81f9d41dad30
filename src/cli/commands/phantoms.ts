import path from 'node:path';
import type { Command } from 'commander';
import { generatePhantoms, PHANTOM_NOTICE, TRUTH_FILE } from '../../core/phantoms';
import { CliError, EXIT, type GlobalOptions } from '../context';
import { progressBar } from './import';

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${name} must be an integer >= ${min}, got "${v}"`, EXIT.USAGE);
  return n;
}

export function register(program: Command): void {
  program
    .command('phantoms')
    .description(
      'write synthetic bilateral knee radiograph PHANTOMS: real DX DICOM files (12-bit, ~2500x2000), ' +
        'grade-dependent narrowing, osteophytes and sclerosis, with the true grades and joint centres in truth.csv',
    )
    .requiredOption('--out <dir>', 'folder to write the DICOM files and truth.csv into')
    .option('--count <n>', 'number of films (two knees each)', '12')
    .option('--seed <n>', 'random seed: the same seed gives the same files', '1')
    .option('--scale <f>', 'pixel scale (1 = full size; 0.25 = quarter resolution, same anatomy)', '1')
    .action(async (o: { out: string; count: string; seed: string; scale: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const count = int('--count', o.count, 1);
      const seed = int('--seed', o.seed, 0);
      const scale = Number(o.scale);
      if (!(scale > 0 && scale <= 2))
        throw new CliError(`--scale must be in (0, 2], got "${o.scale}"`, EXIT.USAGE);
      if (!globals.json) process.stdout.write(`${PHANTOM_NOTICE}\n`);
      const bar = progressBar(globals, 'phantoms');
      let films;
      try {
        films = await generatePhantoms({
          outDir: o.out,
          count,
          seed,
          scale,
          onProgress: (d, t) => bar.update(d, t),
        });
      } finally {
        bar.stop();
      }
      const truth = path.join(path.resolve(o.out), TRUTH_FILE);
      if (globals.json) {
        process.stdout.write(`${JSON.stringify({ phantom: true, notice: PHANTOM_NOTICE, truth, films })}\n`);
        return;
      }
      for (const f of films)
        process.stdout.write(
          `PHANTOM ${path.basename(f.file)}: ${f.columns}x${f.rows} px at ${f.spacingMm} mm, ${f.photometric}, ` +
            f.knees.map((k) => `${k.side} KL${k.grade}`).join(', ') +
            '\n',
        );
      process.stdout.write(
        `Wrote ${films.length} PHANTOM films (${films.length * 2} knees) to ${path.resolve(o.out)}; truth: ${truth}\n`,
      );
    });
}
