import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/core/services';
import { buildFixture, storePrediction, type Fixture } from './fixture';

let f: Fixture;
beforeEach(async () => {
  f = buildFixture(5);
  // Reader A grades exactly the reference; reader B is off by one on every knee; a model agrees with A.
  for (const k of f.kneeIds) {
    const ref = f.reference.get(k)!;
    await dispatch('grades:submit', { kneeId: k, readerId: f.readerA, klg: ref }, f.ctx);
    await dispatch('grades:submit', { kneeId: k, readerId: f.readerB, klg: ref === 4 ? 3 : ref + 1 }, f.ctx);
    storePrediction(f.ctx, k, ref);
  }
});
afterEach(() => f.cleanup());

describe('reports:build', () => {
  it('compares every reader and model with the reference', async () => {
    const r = await dispatch('reports:build', {}, f.ctx);
    expect(r.knees).toBe(10);
    expect(r.raters.map((x) => x.key).sort()).toEqual([
      'model:resnet18-kl',
      'reader:Reader A',
      'reader:Reader B',
    ]);
    const a = r.vsReference.find((v) => v.rater === 'reader:Reader A')!;
    const b = r.vsReference.find((v) => v.rater === 'reader:Reader B')!;
    expect(a).toMatchObject({ n: 10, exactAccuracy: 1, mae: 0 });
    expect(a.qwk.value).toBeCloseTo(1, 10);
    expect(b.exactAccuracy).toBe(0);
    expect(b.adjacentAccuracy).toBe(1);
    expect(b.mae).toBe(1);
    expect(a.confusion).toHaveLength(5);
    const ab = r.pairwise.find((p) => [p.a, p.b].sort().join() === 'reader:Reader A,reader:Reader B')!;
    expect(ab.n).toBe(10);
    expect(ab.exactAgreement).toBe(0); // B is one grade off A on every knee
    expect(r.text).toContain('Reader B');
  });

  it('says clearly when there is no reference to compare with', async () => {
    await expect(dispatch('reports:build', { referenceSource: 'nope' }, f.ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('nope'),
    });
  });
});

describe('exports', () => {
  it('writes a de-identified labelled CSV with one row per knee', async () => {
    const file = path.join(f.dir, 'out', 'labels.csv');
    const res = await dispatch('exports:labelledCsv', { path: file }, f.ctx);
    expect(res).toMatchObject({ path: file, rows: 10, content: null });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('Doe^');
    expect(text).not.toContain('PAT-');
    expect(text.trim().split(/\r?\n/)).toHaveLength(11);
    const withIds = await dispatch('exports:labelledCsv', { deidentify: false }, f.ctx);
    expect(withIds.content).toContain('PAT-');
  });

  it('writes the HTML report', async () => {
    const file = path.join(f.dir, 'report.html');
    const res = await dispatch('exports:htmlReport', { path: file }, f.ctx);
    expect(res.path).toBe(file);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/<html[\s>]/i);
  });
});
