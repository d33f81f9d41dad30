// The keyboard shortcuts, listed once: the help overlay shows this table.

export const SHORTCUTS: {
  keys: string;
  action: string;
  group: 'Grading' | 'Navigation' | 'Viewer' | 'General';
}[] = [
  { keys: '0 – 4', action: 'Grade the knee (Kellgren–Lawrence) and go to the next', group: 'Grading' },
  { keys: 'Ctrl+Z', action: 'Undo the last grade (and go back to that knee)', group: 'Grading' },
  { keys: '→  ↓  N', action: 'Next knee', group: 'Navigation' },
  { keys: '←  ↑  P', action: 'Previous knee', group: 'Navigation' },
  {
    keys: 'Left drag',
    action: 'Window / level (drag right: wider window; drag down: higher level, darker)',
    group: 'Viewer',
  },
  { keys: 'Right drag', action: 'Pan (also Shift + left drag)', group: 'Viewer' },
  { keys: 'Wheel', action: 'Zoom about the pointer (also Ctrl + drag)', group: 'Viewer' },
  { keys: 'Double-click', action: 'Fit that pane', group: 'Viewer' },
  { keys: 'F', action: 'Fit both panes', group: 'Viewer' },
  { keys: 'X', action: '1:1 (one image pixel per screen pixel)', group: 'Viewer' },
  { keys: 'W', action: 'Next window preset (the DICOM’s own windows first)', group: 'Viewer' },
  { keys: 'I', action: 'Invert', group: 'Viewer' },
  { keys: 'R', action: 'Reset window, zoom and pan', group: 'Viewer' },
  { keys: 'C', action: 'Show / hide the models’ crop (drag it to correct it)', group: 'Viewer' },
  { keys: 'O', action: 'Occlusion map of the first model (not in blinded sessions)', group: 'Viewer' },
  { keys: '?  F1', action: 'This help', group: 'General' },
  { keys: 'Esc', action: 'Close help, leave a text field', group: 'General' },
];
