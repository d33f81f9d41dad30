// The only user of ipcMain. Every request: sender must be our window's top frame showing our own
// renderer; input must pass the contract's zod schema; file paths must come from a dialog; then it
// is relayed to the core process (which validates again: defence in depth).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  ApiError,
  CHANNELS,
  parseInput,
  type Envelope,
  type ParsedInput,
  type ServiceChannel,
  type ShellChannel,
} from '../shared/contract';
import type { CoreClient } from './core-client';
import { openPathsDialog, savePathDialog } from './dialogs';
import type { GrantedPaths } from './granted-paths';

export const EVENT_CHANNEL = 'kneegrade:event';

export interface RouterDeps {
  core: CoreClient;
  window: () => BrowserWindow | null;
  granted: GrantedPaths;
  /** True for a URL our renderer is served from (app://kneegrade/, or the dev server in development). */
  isAppUrl: (url: string) => boolean;
}

function checkSender(e: IpcMainInvokeEvent, deps: RouterDeps): void {
  const win = deps.window();
  const frame = e.senderFrame;
  if (
    !win ||
    e.sender !== win.webContents ||
    !frame ||
    frame !== win.webContents.mainFrame ||
    !deps.isAppUrl(frame.url)
  ) {
    throw new ApiError('FORBIDDEN', 'request from an unexpected frame refused');
  }
}

async function shell(channel: ShellChannel, input: unknown, deps: RouterDeps): Promise<unknown> {
  if (channel === 'dialogs:openPaths')
    return openPathsDialog(deps.window(), input as ParsedInput<'dialogs:openPaths'>, deps.granted);
  return savePathDialog(deps.window(), input as ParsedInput<'dialogs:savePath'>, deps.granted);
}

export function registerIpc(deps: RouterDeps): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (e, raw: unknown): Promise<Envelope<unknown>> => {
      try {
        checkSender(e, deps);
        const input = parseInput(channel, raw);
        deps.granted.checkRequest(channel, input);
        if (channel === 'dialogs:openPaths' || channel === 'dialogs:savePath')
          return { ok: true, value: await shell(channel, input, deps) };
        return await deps.core.call(channel as ServiceChannel, raw);
      } catch (err) {
        return { ok: false, error: ApiError.from(err).toBody() };
      }
    });
  }
  return () => {
    for (const c of CHANNELS) ipcMain.removeHandler(c);
  };
}
