// The Electron IPC router and core client with Electron mocked (the binary cannot run here): every
// request is checked for its sender frame, validated against the contract, path-checked, relayed.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (e: unknown, raw: unknown) => Promise<unknown>>();
const forks: FakeProc[] = [];

class FakeProc extends EventEmitter {
  posted: unknown[] = [];
  killed = false;
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  kill(): void {
    this.killed = true;
  }
}

vi.mock('electron', () => ({
  ipcMain: {
    handle: (c: string, fn: (e: unknown, raw: unknown) => Promise<unknown>) => handlers.set(c, fn),
    removeHandler: (c: string) => handlers.delete(c),
  },
  dialog: {
    showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/picked/films'] })),
    showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/picked/out.csv' })),
  },
  utilityProcess: {
    fork: () => {
      const p = new FakeProc();
      forks.push(p);
      return p;
    },
  },
}));

const { registerIpc } = await import('../../../src/main/ipc-router');
const { GrantedPaths } = await import('../../../src/main/granted-paths');
const { CoreClient } = await import('../../../src/main/core-client');
const { CHANNELS } = await import('../../../src/shared/contract');

const APP_URL = 'file:///app/out/renderer/index.html';

function fakeWindow() {
  const mainFrame = { url: APP_URL };
  const webContents = { mainFrame };
  return { webContents } as unknown as import('electron').BrowserWindow;
}

describe('ipc-router', () => {
  const calls: [string, unknown][] = [];
  const win = fakeWindow();
  const wc = (win as unknown as { webContents: { mainFrame: { url: string } } }).webContents;
  const core = {
    call: async (c: string, input: unknown) => (calls.push([c, input]), { ok: true, value: 'from core' }),
  };
  const event = (over: Partial<{ sender: unknown; senderFrame: unknown }> = {}) => ({
    sender: wc,
    senderFrame: wc.mainFrame,
    ...over,
  });

  beforeEach(() => {
    handlers.clear();
    calls.length = 0;
    registerIpc({
      core: core as never,
      window: () => win,
      granted: new GrantedPaths(),
      isAppUrl: (u) => u === APP_URL,
    });
  });

  it('registers exactly the contract channels', () => {
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('relays a valid request from the app frame to the core', async () => {
    const r = await handlers.get('knees:list')!(event(), { studyId: 2 });
    expect(r).toEqual({ ok: true, value: 'from core' });
    expect(calls).toEqual([['knees:list', { studyId: 2 }]]);
  });

  it('refuses other frames, other pages and invalid input before the core sees them', async () => {
    const other = await handlers.get('knees:list')!(event({ senderFrame: { url: APP_URL } }), {});
    expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    wc.mainFrame.url = 'https://evil.example/';
    const navigated = await handlers.get('knees:list')!(event(), {});
    expect(navigated).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    wc.mainFrame.url = APP_URL;
    const bad = await handlers.get('grades:submit')!(event(), { kneeId: 1, readerId: 1, klg: 8 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toEqual([]);
  });

  it('only lets the renderer name files the user picked in a dialog', async () => {
    const refused = await handlers.get('import:run')!(event(), { paths: ['/etc'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const picked = await handlers.get('dialogs:openPaths')!(event(), {
      purpose: 'import',
      directories: true,
    });
    expect(picked).toEqual({ ok: true, value: { canceled: false, paths: ['/picked/films'] } });
    expect(await handlers.get('import:run')!(event(), { paths: ['/picked/films/a.dcm'] })).toMatchObject({
      ok: true,
    });
    const saveRefused = await handlers.get('exports:labelledCsv')!(event(), { path: '/picked/out.csv' });
    expect(saveRefused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await handlers.get('dialogs:savePath')!(event(), { purpose: 'csv', defaultName: 'labels.csv' });
    expect(await handlers.get('exports:labelledCsv')!(event(), { path: '/picked/out.csv' })).toMatchObject({
      ok: true,
    });
    expect(calls.map((c) => c[0])).toEqual(['import:run', 'exports:labelledCsv']);
  });
});

describe('CoreClient', () => {
  it('matches answers to calls, relays events, restarts a dead core and fails its calls in flight', async () => {
    forks.length = 0;
    const events: unknown[] = [];
    const client = new CoreClient(
      '/x/core.js',
      { dbPath: '/d.db', modelRoots: { defaults: '/a', user: '/b' }, workDir: '/w', version: '1' },
      (e, p) => events.push([e, p]),
      () => undefined,
    );
    client.start();
    const p1 = forks[0]!;
    expect(p1.posted[0]).toMatchObject({ type: 'init' });
    p1.emit('message', { type: 'ready' });
    const pending = client.call('readers:list', {});
    await new Promise((r) => setTimeout(r, 0));
    const call = p1.posted[1] as { id: number };
    p1.emit('message', { type: 'event', event: 'data:changed', payload: { what: 'readers' } });
    p1.emit('message', { type: 'result', id: call.id, envelope: { ok: true, value: [] } });
    expect(await pending).toEqual({ ok: true, value: [] });
    expect(events).toEqual([['data:changed', { what: 'readers' }]]);

    const inFlight = client.call('studies:list', {});
    await new Promise((r) => setTimeout(r, 0));
    p1.emit('exit', 1);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(forks).toHaveLength(2); // restarted
    const p2 = forks[1]!;
    p2.emit('message', { type: 'ready' });
    const again = client.call('studies:list', {});
    await new Promise((r) => setTimeout(r, 0));
    p2.emit('message', {
      type: 'result',
      id: (p2.posted[1] as { id: number }).id,
      envelope: { ok: true, value: ['s'] },
    });
    expect(await again).toEqual({ ok: true, value: ['s'] });
    client.stop();
    expect(p2.killed).toBe(true);
  });

  it('reports a database that cannot be opened to every call, without restarting', async () => {
    forks.length = 0;
    const client = new CoreClient(
      '/x/core.js',
      { dbPath: '/d.db', modelRoots: { defaults: '/a', user: '/b' }, workDir: '/w', version: '1' },
      () => undefined,
      () => undefined,
    );
    client.start();
    forks[0]!.emit('message', {
      type: 'fatal',
      message: '/d.db: this study database is at schema version 9',
    });
    expect(await client.call('readers:list', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining('schema version 9') },
    });
    forks[0]!.emit('exit', 0);
    expect(forks).toHaveLength(1);
  });
});
