import { describe, expect, it } from 'vitest';
import { PromiseLru } from '../../../src/renderer/src/api/lruCache';

describe('PromiseLru (pixel and detail caches)', () => {
  it('shares one load between concurrent requests', async () => {
    let loads = 0;
    const c = new PromiseLru<number, string>(3, async (k) => {
      loads++;
      return `v${k}`;
    });
    const [a, b] = await Promise.all([c.get(1), c.get(1)]);
    expect(a).toBe('v1');
    expect(b).toBe('v1');
    expect(loads).toBe(1);
  });

  it('evicts the least recently used', async () => {
    const loaded: number[] = [];
    const c = new PromiseLru<number, number>(2, async (k) => {
      loaded.push(k);
      return k;
    });
    await c.get(1);
    await c.get(2);
    await c.get(1); // 1 is now the most recent
    await c.get(3); // evicts 2
    expect(c.has(1)).toBe(true);
    expect(c.has(2)).toBe(false);
    expect(c.has(3)).toBe(true);
    await c.get(2);
    expect(loaded).toEqual([1, 2, 3, 2]);
  });

  it('forgets a failed load so it can be retried; warm() never throws', async () => {
    let fail = true;
    const c = new PromiseLru<number, number>(2, async (k) => {
      if (fail) throw new Error('offline');
      return k;
    });
    c.warm(1);
    await expect(c.get(1)).rejects.toThrow('offline');
    await Promise.resolve();
    expect(c.has(1)).toBe(false);
    fail = false;
    await expect(c.get(1)).resolves.toBe(1);
  });
});

describe('PromiseLru.peek', () => {
  it('gives an arrived value synchronously, nothing before it arrives or after delete/eviction', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new PromiseLru<number, string>(1, async (k) => {
      await gate;
      return `v${k}`;
    });
    const p = c.get(1);
    expect(c.peek(1)).toBeUndefined();
    release();
    await p;
    expect(c.peek(1)).toBe('v1');
    await c.get(2); // capacity 1: evicts 1
    expect(c.peek(1)).toBeUndefined();
    expect(c.peek(2)).toBe('v2');
    c.delete(2);
    expect(c.peek(2)).toBeUndefined();
  });
});
