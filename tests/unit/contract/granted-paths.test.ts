// The desktop app's path allow-list (src/main/granted-paths.ts): the renderer may only name files
// the user picked in a dialog.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GrantedPaths } from '../../../src/main/granted-paths';
import { parseInput } from '../../../src/shared/contract';

describe('GrantedPaths', () => {
  it('allows picked files and anything inside picked folders, nothing else', () => {
    const g = new GrantedPaths();
    g.grantRead('/data/films');
    g.grantRead('/data/labels.csv');
    expect(() =>
      g.checkRequest(
        'import:run',
        parseInput('import:run', { paths: ['/data/films/a/b.dcm'], labelsCsv: '/data/labels.csv' }),
      ),
    ).not.toThrow();
    for (const bad of ['/data/films-other/x.dcm', '/data/films/../secret', '/etc/passwd', 'relative/path']) {
      expect(() => g.checkRequest('import:run', parseInput('import:run', { paths: [bad] }))).toThrow(
        /not chosen in a file dialog/,
      );
    }
    expect(() =>
      g.checkRequest(
        'import:run',
        parseInput('import:run', { paths: ['/data/films'], labelsCsv: '/tmp/x.csv' }),
      ),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('allows writing exactly the file a save dialog returned', () => {
    const g = new GrantedPaths();
    g.grantWrite(path.join('/home/r', 'labels.csv'));
    expect(() =>
      g.checkRequest(
        'exports:labelledCsv',
        parseInput('exports:labelledCsv', { path: '/home/r/labels.csv' }),
      ),
    ).not.toThrow();
    expect(() =>
      g.checkRequest('exports:labelledCsv', parseInput('exports:labelledCsv', { path: '/home/r/other.csv' })),
    ).toThrow(/save dialog/);
    expect(() =>
      g.checkRequest('exports:htmlReport', parseInput('exports:htmlReport', { path: '/home/r/labels.csv' })),
    ).not.toThrow();
    // Without a path the content comes back instead: nothing is written.
    expect(() => g.checkRequest('exports:labelledCsv', parseInput('exports:labelledCsv', {}))).not.toThrow();
    expect(() => g.checkRequest('knees:list', {})).not.toThrow();
  });
});
