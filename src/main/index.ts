// Electron main process: one window, hardened; the IPC router; the core utility process.
import { app, BrowserWindow, Menu } from 'electron';
import path from 'node:path';
import type { EventName } from '../shared/contract';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol';
import { CoreClient } from './core-client';
import { GrantedPaths } from './granted-paths';
import { EVENT_CHANNEL, registerIpc } from './ipc-router';
import { buildMenu } from './menu';
import { coreConfig } from './paths';
import { hardenContents, hardenSession } from './security';

// The same user-data folder the CLI uses as its default database location (src/cli/context.ts).
app.setName('KneeGrade');
app.setPath('userData', path.join(app.getPath('appData'), 'KneeGrade'));

// One instance: two windows writing one study database would confuse readers, not SQLite.
if (!app.requestSingleInstanceLock()) app.quit();

const rendererDir = path.join(__dirname, '..', 'renderer');
// The dev server only in development; a packaged app always serves its own files.
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
registerAppScheme();

function isAppUrl(url: string): boolean {
  if (devUrl) return url.startsWith(new URL(devUrl).origin + '/');
  return url.startsWith(`${APP_ORIGIN}/`);
}

let mainWindow: BrowserWindow | null = null;
let core: CoreClient | null = null;

function send(event: EventName, payload: unknown): void {
  mainWindow?.webContents.send(EVENT_CHANNEL, event, payload);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#111418',
    title: 'KneeGrade',
    webPreferences: {
      // electron-vite emits the sandboxed preload as CommonJS (.cjs: the package is an ES module).
      preload: path.join(__dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  hardenContents(win.webContents, isAppUrl);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('web-contents-created', (_e, wc) => hardenContents(wc, isAppUrl));

void app.whenReady().then(() => {
  hardenSession(Boolean(devUrl));
  if (!devUrl) serveRenderer(rendererDir);
  core = new CoreClient(path.join(__dirname, 'core-process.js'), coreConfig(app.getVersion()), send);
  core.start();
  registerIpc({ core, window: () => mainWindow, granted: new GrantedPaths(), isAppUrl });
  Menu.setApplicationMenu(
    buildMenu(
      (command) => send('menu:command', { command }),
      () => mainWindow,
    ),
  );
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => core?.stop());
