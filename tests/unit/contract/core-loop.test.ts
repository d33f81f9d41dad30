// The Electron core process's message loop (src/main/core-loop.ts) with a fake parentPort.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCore, type CorePort } from '../../../src/main/core-loop';
import type { FromCore, ToCore } from '../../../src/main/core-protocol';

class FakePort implements CorePort {
  listener: ((e: { data: ToCore }) => void) | null = null;
  readonly sent: FromCore[] = [];
  on(_e: 'message', l: (e: { data: ToCore }) => void): void {
    this.listener = l;
  }
  postMessage(m: FromCore): void {
    this.sent.push(m);
  }
  send(m: ToCore): void {
    this.listener!({ data: m });
  }
  async answer(id: number): Promise<FromCore & { type: 'result' }> {
    for (let i = 0; i < 200; i++) {
      const hit = this.sent.find(
        (m): m is FromCore & { type: 'result' } => m.type === 'result' && m.id === id,
      );
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no answer to call ${id}`);
  }
}

let dir = '';
let close = (): void => undefined;
afterEach(() => {
  close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('core process loop', () => {
  it('refuses calls before init, then serves the contract and relays events', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kg-core-'));
    const port = new FakePort();
    close = serveCore(port);
    port.send({ type: 'call', id: 1, channel: 'readers:list', input: {} });
    expect((await port.answer(1)).envelope).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    port.send({
      type: 'init',
      config: {
        dbPath: path.join(dir, 'k.db'),
        modelRoots: { defaults: dir, user: dir },
        workDir: path.join(dir, 'w'),
        version: 't',
      },
    });
    expect(port.sent).toContainEqual({ type: 'ready' });
    port.send({ type: 'call', id: 2, channel: 'readers:create', input: { name: 'Dr Core' } });
    expect((await port.answer(2)).envelope).toMatchObject({ ok: true, value: { name: 'Dr Core' } });
    expect(port.sent).toContainEqual({ type: 'event', event: 'data:changed', payload: { what: 'readers' } });
    port.send({ type: 'call', id: 3, channel: 'grades:submit', input: { kneeId: 1, readerId: 1, klg: 9 } });
    expect((await port.answer(3)).envelope).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const info = await (port.send({ type: 'call', id: 4, channel: 'app:info', input: {} }), port.answer(4));
    expect(info.envelope).toMatchObject({ ok: true, value: { transport: 'electron', schemaVersion: 1 } });
  });

  it('reports a database it cannot open as fatal, with the reason', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kg-core-'));
    const port = new FakePort();
    close = serveCore(port);
    port.send({
      type: 'init',
      config: {
        dbPath: dir /* a folder, not a file */,
        modelRoots: { defaults: dir, user: dir },
        workDir: dir,
        version: 't',
      },
    });
    const fatal = port.sent.find((m) => m.type === 'fatal');
    expect(fatal).toBeDefined();
  });
});
