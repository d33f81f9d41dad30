// The CLI commands over the services: readers, grade, sessions (in-process, through main()).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main';
import { openServiceHost } from '../../../src/core/services/host';
import { seedInto, type Seeded } from '../../unit/services/fixture';

let dir: string;
let db: string;
let s: Seeded;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-cli-'));
  db = path.join(dir, 'study.db');
  const host = openServiceHost({
    dbPath: db,
    modelRoots: { defaults: dir, user: dir },
    workDir: dir,
    transport: 'cli',
    version: 't',
  });
  s = seedInto(host.ctx.db, dir, 2);
  host.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    const code = await main(['node', 'kneegrade', '--db', db, ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('kneegrade readers / grade / sessions', () => {
  it('refuses a database that does not exist rather than starting an empty one', async () => {
    let err = '';
    const e = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    try {
      const code = await main(['node', 'kneegrade', '--db', path.join(dir, 'typo.db'), 'readers', 'list']);
      expect(code).toBe(1);
    } finally {
      e.mockRestore();
    }
    expect(err).toContain('no study database at');
  });

  it('adds and lists readers', async () => {
    expect((await cli('readers', 'add', 'Dr CLI', '--role', 'expert')).out).toMatch(
      /reader \d+: Dr CLI \(expert\)/,
    );
    const list = await cli('--json', 'readers', 'list');
    expect(JSON.parse(list.out).map((r: { name: string }) => r.name)).toContain('Dr CLI');
    const dup = await cli('readers', 'add', 'Dr CLI');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('already exists');
  });

  it('grades, shows history, undoes', async () => {
    const k = String(s.kneeIds[0]);
    expect(
      (await cli('grade', k, '3', '--reader', 'Dr CLI', '--confidence', '4', '--time-ms', '1200')).out,
    ).toMatch(/KL3 recorded/);
    await cli('grade', k, '2', '--reader', 'Dr CLI');
    const undo = await cli('grade', k, '--undo', '--reader', 'Dr CLI');
    expect(undo.out).toContain('effective grade now KL3');
    const hist = await cli('--json', 'grade', k, '--history', '--reader', 'Dr CLI');
    expect(JSON.parse(hist.out).map((e: { kind: string }) => e.kind)).toEqual(['grade', 'grade', 'retract']);
    const bad = await cli('grade', k, '7', '--reader', 'Dr CLI');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('klg must be an integer 0-4');
    const nobody = await cli('grade', k, '1', '--reader', 'Nobody');
    expect(nobody.code).toBe(2);
    expect(nobody.err).toContain('no reader "Nobody"');
  });

  it('creates a seeded session, walks it with next, pauses and resumes', async () => {
    const c = await cli('--json', 'sessions', 'create', '--reader', 'Dr CLI', '--name', 'S1', '--seed', '99');
    const sess = JSON.parse(c.out) as { id: number; seed: number; total: number; blinded: boolean };
    expect(sess).toMatchObject({ seed: 99, total: 4, blinded: true });
    const next = JSON.parse((await cli('--json', 'sessions', 'next', String(sess.id))).out) as {
      next: { kneeId: number; position: number };
    };
    expect(next.next.position).toBe(1);
    await cli('grade', String(next.next.kneeId), '1', '--reader', 'Dr CLI', '--session', String(sess.id));
    expect((await cli('sessions', 'next', String(sess.id))).out).toMatch(/\(2 of 4\)/);
    expect((await cli('sessions', 'pause', String(sess.id))).out).toContain('paused');
    const refused = await cli(
      'grade',
      String(next.next.kneeId),
      '2',
      '--reader',
      'Dr CLI',
      '--session',
      String(sess.id),
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('paused');
    expect((await cli('sessions', 'resume', String(sess.id))).out).toContain('active');
    expect((await cli('sessions', 'list')).out).toMatch(
      /S1\s+Dr CLI\s+primary\s+yes\s+no\s+1\/4\s+active\s+99/,
    );
    const washout = await cli(
      'sessions',
      'create',
      '--reader',
      'Dr CLI',
      '--name',
      'again',
      '--reread-of',
      String(sess.id),
    );
    expect(washout.code).toBe(1);
    expect(washout.err).toContain('washout');
  });
});
