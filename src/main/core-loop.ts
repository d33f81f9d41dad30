// The core process's message loop, apart from Electron's parentPort so it can be tested with a fake
// port: 'init' opens the database, 'call' runs a channel through the services and answers an envelope.
import { ApiError, type Envelope } from '../shared/contract';
import { dispatch } from '../core/services';
import { openServiceHost, type ServiceHost } from '../core/services/host';
import type { FromCore, ToCore } from './core-protocol';

export interface CorePort {
  on(event: 'message', listener: (e: { data: ToCore }) => void): void;
  postMessage(message: FromCore): void;
}

/** Serve `port`; returns a function that closes the database. */
export function serveCore(port: CorePort): () => void {
  let host: ServiceHost | null = null;
  port.on('message', ({ data }) => {
    if (data.type === 'init') {
      try {
        host?.close();
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
  return () => host?.close();
}
