// The core utility process (Electron utilityProcess): the study database, the services, inference.
// Runs apart from the main process so a long import or model run never freezes window handling,
// and a crash here is restarted by the main process without losing the window.
import { serveCore, type CorePort } from './core-loop';

// Electron gives a utility process `process.parentPort`; it is not in @types/node.
const parentPort = (process as unknown as { parentPort?: CorePort }).parentPort;
if (!parentPort) throw new Error('core-process must run as an Electron utility process');
const close = serveCore(parentPort);
process.on('exit', close);
