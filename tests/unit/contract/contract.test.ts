import { describe, expect, it } from 'vitest';
import { handlers } from '../../../src/core/services';
import { seededShuffle } from '../../../src/core/services/shuffle';
import { buildApi } from '../../../src/shared/api';
import {
  ApiError,
  CHANNELS,
  contract,
  parseInput,
  SHELL_CHANNELS,
  type Channel,
} from '../../../src/shared/contract';
import { decodeFrame, encodeFrame, fromWireJson, toWireJson } from '../../../src/shared/wire';

describe('contract', () => {
  it('names every channel domain:verb and gives every non-shell channel a service handler', () => {
    for (const c of CHANNELS) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
    const served = new Set([...Object.keys(handlers), ...SHELL_CHANNELS]);
    expect([...served].sort()).toEqual([...CHANNELS].sort());
  });

  it('fills defaults and rejects unknown fields', () => {
    expect(parseInput('knees:list', {})).toMatchObject({
      sort: 'study',
      order: 'asc',
      limit: 500,
      offset: 0,
      minSpread: 1,
    });
    expect(parseInput('studies:list', undefined)).toEqual({});
    expect(() => parseInput('knees:list', { bogus: 1 })).toThrow(ApiError);
    expect(() => parseInput('grades:submit', { kneeId: 1, readerId: 1, klg: 7 })).toThrow(/klg/);
    expect(() => parseInput('import:run', { paths: [] })).toThrow(/paths/);
    expect(() => parseInput('inference:run', { jobId: 'a b' })).toThrow(/jobId/);
  });

  it('has a zod schema for every channel', () => {
    for (const c of CHANNELS)
      expect(typeof (contract[c].input as { safeParse?: unknown }).safeParse).toBe('function');
  });
});

describe('buildApi', () => {
  it('exposes exactly one function per channel, grouped by domain, forwarding channel and input', async () => {
    const calls: [Channel, unknown][] = [];
    const api = buildApi(
      CHANNELS,
      async (c, i) => (calls.push([c, i]), 'ok'),
      () => () => undefined,
    );
    let n = 0;
    for (const [domain, group] of Object.entries(api)) {
      if (domain === 'on') continue;
      n += Object.keys(group as object).length;
    }
    expect(n).toBe(CHANNELS.length);
    await api.knees.list({ studyId: 2 });
    await api.grades.submit({ kneeId: 1, readerId: 2, klg: 3 });
    expect(calls).toEqual([
      ['knees:list', { studyId: 2 }],
      ['grades:submit', { kneeId: 1, readerId: 2, klg: 3 }],
    ]);
  });
});

describe('wire JSON', () => {
  it('round-trips bytes anywhere in a value, aligned for 16-bit views', () => {
    const data = new Uint8Array(new Uint16Array([1, 65535, 300]).buffer);
    const back = fromWireJson(toWireJson({ a: { data }, n: 1 })) as { a: { data: Uint8Array }; n: number };
    expect(back.n).toBe(1);
    expect(Array.from(new Uint16Array(back.a.data.buffer))).toEqual([1, 65535, 300]);
    const big = new Uint8Array(200_000).map((_, i) => i % 251);
    expect((fromWireJson(toWireJson(big)) as Uint8Array).every((v, i) => v === i % 251)).toBe(true);
  });
});

describe('binary frames', () => {
  it('carry several byte arrays beside JSON, each 8-byte aligned, values intact', () => {
    const a = new Uint8Array(new Uint16Array([1, 2, 65535]).buffer);
    const b = new Uint8Array([9, 8, 7, 6, 5]);
    const frame = encodeFrame({ ok: true, value: { a, list: [{ b }], n: 3, s: 'x' } })!;
    const copy = frame.slice().buffer; // what the client receives
    const back = decodeFrame(copy) as {
      ok: boolean;
      value: { a: Uint8Array; list: { b: Uint8Array }[]; n: number; s: string };
    };
    expect(back.ok).toBe(true);
    expect(back.value.n).toBe(3);
    expect(back.value.s).toBe('x');
    expect(back.value.a.byteOffset % 8).toBe(0);
    expect(Array.from(new Uint16Array(back.value.a.buffer, back.value.a.byteOffset, 3))).toEqual([
      1, 2, 65535,
    ]);
    expect(Array.from(back.value.list[0]!.b)).toEqual([9, 8, 7, 6, 5]);
    expect(encodeFrame({ ok: true, value: [1, 2] })).toBeNull();
  });
});

describe('seededShuffle', () => {
  it('is a reproducible permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = seededShuffle(items, 123);
    expect(seededShuffle(items, 123)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(seededShuffle(items, 124)).not.toEqual(a);
  });

  it('puts each item first about equally often (unbiased Fisher-Yates)', () => {
    const counts = [0, 0, 0, 0];
    const N = 8000;
    for (let s = 0; s < N; s++) counts[seededShuffle([0, 1, 2, 3], s)[0]!]!++;
    // expected 2000 each; 5 sigma ~ 5*sqrt(8000*0.25*0.75) ~ 194
    for (const c of counts) expect(Math.abs(c - N / 4)).toBeLessThan(200);
  });
});
