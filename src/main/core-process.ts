// The core utility process (Electron utilityProcess): the study database, the services, inference.
// Runs apart from the main process so a long import or model run never freezes window handling,
// and a crash here is restarted by the main process without losing the window.
import { ApiError, type Envelope } from '../shared/contract';
import { dispatch } from '../core/services';
import { openServiceHost, type ServiceHost } from '../core/services/host';
import type { FromCore, ToCore } from './core-protocol';

// Electron gives a utility process `process.parentPort`; it is not in @types/node.
interface ParentPort {
  on(event: 'message', listener: (e: { data: ToCore }) => void): void;
  postMessage(message: FromCore): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-process must run as an Electron utility process');
const port: ParentPort = parentPort;

let host: ServiceHost | null = null;

port.on('message', ({ data }) => {
  if (data.type === 'init') {
    try {
      host = openServiceHost({
        ...data.config,
        transport: 'electron',
        onEvent: (event, payload) => port.postMessage({ type: 'event', event, payload }),
      });
      port.postMessage({ type: 'ready' });
    } catch (e) {
      port.postMessage({ type: 'fatal', message: (e as Error).message });
    }
    return;
  }
  if (data.type === 'call') {
    const { id, channel, input } = data;
    void (async () => {
      let envelope: Envelope<unknown>;
      try {
        if (!host) throw new ApiError('UNAVAILABLE', 'the study database is not open yet');
        envelope = { ok: true, value: await dispatch(channel, input, host.ctx) };
      } catch (e) {
        envelope = { ok: false, error: ApiError.from(e).toBody() };
      }
      port.postMessage({ type: 'result', id, envelope });
    })();
  }
});

process.on('exit', () => host?.close());
