// `npm run bench`: runs every bench/sections/<name>.ts `bench()` and writes docs/BENCHMARKS.md with the
// machine (CPU model, cores, memory, Node version, load) and the date. `npm run bench -- --only import,report`
// runs some sections and keeps the others' last results from the existing file.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const OUT = path.join(ROOT, 'docs', 'BENCHMARKS.md');
const SECTIONS = path.join(HERE, 'sections');

interface SectionResult {
  name: string;
  markdown: string;
  ok: boolean;
  seconds: number;
  date: string;
}

export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return [
    `- CPU: ${model}, ${cpus.length} logical core(s) visible to Node`,
    `- Memory: ${gib} GiB`,
    `- Node ${process.version} on ${os.type()} ${os.release()} (${process.arch})`,
    `- Load average when the run started (1/5/15 min): ${load} — other work on the machine slows every figure here`,
  ].join('\n');
}

function parseArgs(argv: string[]): { only?: string[] } {
  const i = argv.indexOf('--only');
  if (i >= 0 && argv[i + 1]) return { only: argv[i + 1]!.split(',').map((s) => s.trim()) };
  return {};
}

const START = (name: string): string => `<!-- bench:${name} -->`;
const END = (name: string): string => `<!-- /bench:${name} -->`;

/** Sections already in BENCHMARKS.md, by name (to keep them when only some sections are re-run). */
function previousSections(): Map<string, string> {
  const m = new Map<string, string>();
  if (!existsSync(OUT)) return m;
  const text = readFileSync(OUT, 'utf8');
  const re = /<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g;
  for (let r = re.exec(text); r; r = re.exec(text)) m.set(r[1]!, r[2]!);
  return m;
}

async function main(): Promise<number> {
  const { only } = parseArgs(process.argv.slice(2));
  const names = readdirSync(SECTIONS)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  const unknown = only?.filter((n) => !names.includes(n)) ?? [];
  if (unknown.length) {
    process.stderr.write(`bench: no section named ${unknown.join(', ')} (sections: ${names.join(', ')})\n`);
    return 2;
  }
  const previous = previousSections();
  const results: SectionResult[] = [];
  for (const name of names) {
    if (only && !only.includes(name)) {
      const kept = previous.get(name);
      if (kept) results.push({ name, markdown: kept, ok: true, seconds: 0, date: '' });
      continue;
    }
    process.stderr.write(`bench: ${name} ...\n`);
    const t0 = performance.now();
    const date = new Date().toISOString();
    try {
      const mod = (await import(pathToFileURL(path.join(SECTIONS, `${name}.ts`)).href)) as {
        bench?: () => Promise<string>;
      };
      if (typeof mod.bench !== 'function')
        throw new Error(`bench/sections/${name}.ts does not export bench()`);
      const md = await mod.bench();
      const seconds = (performance.now() - t0) / 1000;
      results.push({
        name,
        markdown: `${md.trim()}\n\n_Section run ${date}, ${seconds.toFixed(0)} s._\n`,
        ok: true,
        seconds,
        date,
      });
    } catch (e) {
      const seconds = (performance.now() - t0) / 1000;
      process.stderr.write(`bench: ${name} failed: ${(e as Error).stack ?? e}\n`);
      results.push({
        name,
        markdown: `## ${name}\n\n**This section failed:** ${(e as Error).message}\n`,
        ok: false,
        seconds,
        date,
      });
    }
  }
  const doc = [
    '# KneeGrade benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString()}.`,
    '',
    '## Machine',
    '',
    machineDescription(),
    '',
    ...results.flatMap((r) => [START(r.name), r.markdown.trimEnd(), END(r.name), '']),
  ].join('\n');
  writeFileSync(OUT, doc);
  process.stderr.write(`bench: wrote ${path.relative(ROOT, OUT)} (${results.length} section(s))\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}

process.exitCode = await main();
