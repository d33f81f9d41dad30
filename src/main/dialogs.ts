// Native file dialogs. Every path they return is granted (granted-paths.ts): the only paths the
// renderer may then name in import:run / exports:*.
import { dialog, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { DialogPaths, DialogSavePath, ParsedInput } from '../shared/contract';
import type { GrantedPaths } from './granted-paths';

export async function openPathsDialog(
  win: BrowserWindow | null,
  input: ParsedInput<'dialogs:openPaths'>,
  granted: GrantedPaths,
): Promise<DialogPaths> {
  const isLabels = input.purpose === 'labels';
  const opts: Electron.OpenDialogOptions = {
    title: isLabels
      ? 'Choose a CSV of reference labels'
      : 'Choose radiographs to import (DICOM, PNG, JPEG, WebP)',
    properties: isLabels
      ? ['openFile']
      : input.directories
        ? ['openDirectory', 'multiSelections']
        : ['openFile', 'multiSelections'],
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
