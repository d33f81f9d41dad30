// The CLI end to end: `kneegrade report` on a study database and `kneegrade agreement` on a long CSV.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createStudyDb } from './studyDb';

const repo = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-cli-report-'));
const fx = createStudyDb(dir);
fx.db.close();

function kneegrade(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin/kneegrade.mjs'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kneegrade report', () => {
  it('prints the aligned report and writes CSV, JSON and HTML', () => {
    const out = (f: string): string => path.join(dir, f);
    const r = kneegrade(
      '--db',
      fx.file,
      'report',
      '--resamples',
      '100',
      '--csv',
      out('r.csv'),
      '--table-csv',
      out('t.csv'),
      '--json-out',
      out('r.json'),
      '--html',
      out('r.html'),
    );
    expect(r.stderr).toContain('wrote');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Agreement with the reference');
    expect(r.stdout).toMatch(/Quadratic weighted kappa\s+\d\.\d{3} \[/);
    expect(r.stdout).toContain('left out: 3 knee(s), no label from "folder"');
    const json = JSON.parse(readFileSync(out('r.json'), 'utf8')) as {
      schema: string;
      analysis: { bootstrap: { resamples: number } };
    };
    expect(json.schema).toBe('kneegrade-report/1');
    expect(json.analysis.bootstrap.resamples).toBe(100);
    const tidy = parse(readFileSync(out('r.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const qwkA = tidy.find((row) => row.table === 'study' && row.rater === 'Dr A' && row.metric === 'qwk')!;
    expect(Number(qwkA.value)).toBeGreaterThan(0.5);
    expect(Number(qwkA.ci_low)).toBeLessThanOrEqual(Number(qwkA.value));
    const table = parse(readFileSync(out('t.csv'), 'utf8')) as string[][];
    expect(table[0]).toEqual(['section', 'metric', 'Dr A', 'Dr B', 'resnet18-kl']);
    const html = readFileSync(out('r.html'), 'utf8');
    expect(html).toContain('<table id="study-table">');
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained
  });

  it('rejects a reference it cannot understand with a usage error', () => {
    const r = kneegrade('--db', fx.file, 'report', '--reference', 'vote:A');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reference "vote:A" not understood/);
  });

  it('refuses to invent an empty database', () => {
    const r = kneegrade('--db', path.join(dir, 'missing.db'), 'report');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no study database at .*missing\.db/);
    expect(existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });
});

describe('kneegrade agreement', () => {
  it('analyses a long-format CSV, reports bad rows by line and exits 4 (partial)', () => {
    const lines = ['knee,patient,rater,grade,session'];
    for (let p = 0; p < 25; p++)
      for (const side of ['L', 'R']) {
        const t = (p + (side === 'L' ? 1 : 0)) % 5;
        lines.push(
          `${p}${side},${p},truth,${t},`,
          `${p}${side},${p},Reader 1,${t},s1`,
          `${p}${side},${p},net,${(t + (p % 3 === 0 ? 1 : 0)) % 5},`,
        );
      }
    lines.push('3L,3,Reader 1,7,s1');
    const file = path.join(dir, 'long.csv');
    writeFileSync(file, lines.join('\n'));
    const r = kneegrade(
      '--json',
      'agreement',
      file,
      '--reference',
      'truth',
      '--models',
      'net',
      '--resamples',
      '50',
    );
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout) as {
      warnings: string[];
      analysis: {
        vsReference: { rater: string; kind: string; metrics: { exactAccuracy: { value: number } } }[];
      };
    };
    expect(report.warnings.join('\n')).toContain(
      'long.csv:152: row skipped: grade "7" is not a KL grade 0-4',
    );
    const reader = report.analysis.vsReference.find((v) => v.rater === 'Reader 1')!;
    expect(reader.metrics.exactAccuracy.value).toBe(1);
    expect(report.analysis.vsReference.find((v) => v.rater === 'net')!.kind).toBe('model');
  });
});
