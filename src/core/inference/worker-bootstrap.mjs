// Worker entry when KneeGrade runs from TypeScript sources (CLI through tsx, tests): register tsx in
// this thread, then load the real worker. The Electron build bundles worker.ts as its own entry and
// does not use this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
