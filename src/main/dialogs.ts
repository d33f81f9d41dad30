// Native file dialogs, and the allow-list they feed: the renderer may only name files the user picked
// in a dialog of this run. A compromised renderer therefore cannot read or overwrite arbitrary files
// through import:run or exports:*.
import { dialog, type BrowserWindow } from 'electron';
import path from 'node:path';
import { ApiError, type DialogPaths, type DialogSavePath, type ParsedInput } from '../shared/contract';

export class GrantedPaths {
  private readonly read = new Set<string>();
  private readonly write = new Set<string>();

  grantRead(p: string): void {
    this.read.add(path.resolve(p));
  }
  grantWrite(p: string): void {
    this.write.add(path.resolve(p));
  }

  /** A path the user picked, or inside a folder they picked. */
  checkRead(p: string, channel: string): void {
    const abs = path.resolve(p);
    for (const g of this.read) if (abs === g || abs.startsWith(g + path.sep)) return;
    throw new ApiError('FORBIDDEN', `${channel}: ${p} was not chosen in a file dialog; choose it with Import… first`);
  }

  checkWrite(p: string, channel: string): void {
    if (!this.write.has(path.resolve(p))) throw new ApiError('FORBIDDEN', `${channel}: ${p} was not chosen in a save dialog`);
  }
}

export async function openPathsDialog(
  win: BrowserWindow | null,
  input: ParsedInput<'dialogs:openPaths'>,
  granted: GrantedPaths,
): Promise<DialogPaths> {
  const isLabels = input.purpose === 'labels';
  const opts: Electron.OpenDialogOptions = {
    title: isLabels ? 'Choose a CSV of reference labels' : 'Choose radiographs to import (DICOM, PNG, JPEG, WebP)',
    properties: isLabels ? ['openFile'] : input.directories ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
    filters: isLabels
      ? [{ name: 'CSV', extensions: ['csv'] }]
      : input.directories
        ? []
        : [
            { name: 'Radiographs', extensions: ['dcm', 'dicom', 'png', 'jpg', 'jpeg', 'webp', '*'] },
            { name: 'All files', extensions: ['*'] },
          ],
  };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  if (r.canceled) return { canceled: true, paths: [] };
  for (const p of r.filePaths) granted.grantRead(p);
  return { canceled: false, paths: r.filePaths };
}

export async function savePathDialog(
  win: BrowserWindow | null,
  input: ParsedInput<'dialogs:savePath'>,
  granted: GrantedPaths,
): Promise<DialogSavePath> {
  const isCsv = input.purpose === 'csv';
  const opts: Electron.SaveDialogOptions = {
    title: isCsv ? 'Export labelled CSV' : 'Save the HTML report',
    defaultPath: path.basename(input.defaultName),
    filters: [isCsv ? { name: 'CSV', extensions: ['csv'] } : { name: 'HTML', extensions: ['html'] }],
  };
  const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  if (r.canceled || !r.filePath) return { canceled: true, path: null };
  granted.grantWrite(r.filePath);
  return { canceled: false, path: r.filePath };
}
