import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Bytes, sha256FileMemo } from '../../../src/core/inference/sha256';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-sha-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256FileMemo', () => {
  it('reuses the hash of an unchanged old file and rehashes after an edit of the same size', async () => {
    const f = path.join(dir, 'a.bin');
    writeFileSync(f, 'aaaa');
    const old = new Date(Date.now() - 60_000);
    utimesSync(f, old, old);
    expect(await sha256FileMemo(f)).toBe(sha256Bytes('aaaa'));
    // Same size, same (forced) mtime: the memo answers, proving it is used at all.
    writeFileSync(f, 'bbbb');
    utimesSync(f, old, old);
    expect(await sha256FileMemo(f)).toBe(sha256Bytes('aaaa'));
    // A real edit moves the mtime: hashed again.
    const later = new Date(Date.now() - 30_000);
    utimesSync(f, later, later);
    expect(await sha256FileMemo(f)).toBe(sha256Bytes('bbbb'));
  });

  it('never remembers a file modified within the timestamp granularity (racy, as in git)', async () => {
    const f = path.join(dir, 'b.bin');
    writeFileSync(f, 'cccc');
    expect(await sha256FileMemo(f)).toBe(sha256Bytes('cccc'));
    writeFileSync(f, 'dddd'); // may land in the same mtime tick as the first write
    expect(await sha256FileMemo(f)).toBe(sha256Bytes('dddd'));
  });
});
