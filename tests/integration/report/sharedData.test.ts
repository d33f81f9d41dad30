// The agreement pipeline on the real OAI knee set's validation split (shared/data, never copied into the
// project): file names <subject id><L|R>.webp give the patient, the folder the central readers' KL grade.
// Checks the long-CSV path and patient clustering on real bilateral structure.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, studyDataFromLongCsv } from '../../../src/core/report';

const repoRoot = path.resolve(__dirname, '../../..');
const val = path.resolve(repoRoot, '..', 'shared', 'data', 'knee-kl', 'kneeKL224-clahe', 'val');
const hasShared = existsSync(val);
if (!hasShared) console.warn(`[report shared data] skipped: ${val} not found`);

describe.skipIf(!hasShared)('OAI validation split (826 knees)', () => {
  it('reads the grades by patient and reports the published grade distribution', () => {
    const lines = ['knee,patient,rater,grade,kind'];
    let i = 0;
    for (const grade of ['0', '1', '2', '3', '4'])
      for (const f of readdirSync(path.join(val, grade)).sort()) {
        const m = /^(\d{7})([LR])\.webp$/.exec(f);
        if (!m) continue;
        lines.push(`${f},${m[1]},OAI central readers,${grade},reference`);
        // a deterministic "reader" one grade off on every 4th knee
        const g = Number(grade);
        lines.push(`${f},${m[1]},reader,${i++ % 4 === 0 ? Math.min(4, g + 1) : g},reader`);
      }
    const data = studyDataFromLongCsv(lines.join('\n'), 'oai-val.csv');
    expect(data.warnings).toEqual([]);
    const patients = new Set(data.knees.map((k) => k.patient));
    expect(data.knees).toHaveLength(826);
    expect(patients.size).toBeLessThan(826); // many subjects contribute both knees
    const report = buildReport(data, {
      reference: { kind: 'labels', source: 'OAI central readers' },
      bootstrap: { resamples: 300, seed: 7 },
    });
    expect(report.reference.distribution).toEqual([328, 153, 212, 106, 27]); // shared/data/SOURCES.md
    expect(report.analysis.patients).toBe(patients.size);
    const v = report.analysis.vsReference[0]!;
    expect(v.n).toBe(826);
    // 1 in 4 knees off by one (except KL4, which cannot go up): adjacent accuracy is exactly 1
    expect(v.metrics.adjacentAccuracy.value).toBe(1);
    expect(v.metrics.exactAccuracy.value!).toBeGreaterThan(0.74);
    expect(v.metrics.exactAccuracy.lo!).toBeLessThan(v.metrics.exactAccuracy.value!);
  });
});
