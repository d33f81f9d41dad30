// The application menu. Commands the renderer owns (import, export, views) are sent to it as
// 'menu:command' events; the accelerators work wherever focus is.
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Events } from '../shared/contract';

type Command = Events['menu:command']['command'];

export function buildMenu(send: (command: Command) => void, win: () => BrowserWindow | null): Menu {
  const cmd = (label: string, command: Command, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        cmd('Import Radiographs…', 'import', 'CmdOrCtrl+O'),
        { type: 'separator' },
        cmd('Export Labelled CSV…', 'export-csv', 'CmdOrCtrl+E'),
        cmd('Save HTML Report…', 'export-html', 'CmdOrCtrl+Shift+E'),
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
      ],
    },
    {
      label: 'View',
      submenu: [
        cmd('Worklist', 'worklist', 'CmdOrCtrl+1'),
        cmd('Report', 'report', 'CmdOrCtrl+2'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [cmd('About KneeGrade', 'about')] },
  ];
  void win;
  return Menu.buildFromTemplate(template);
}
