// The preload: named functions from the contract, nothing else. Each calls ipcRenderer.invoke on its
// channel and unwraps the envelope; failures reject with a plain { name: 'ApiError', code, message }
// object (contextBridge keeps plain objects whole but strips custom Error properties; the renderer
// reads it with ApiError.from). Events arrive on one channel and are fanned out to subscribers.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi, type KneeGradeApi } from '../shared/api';
import { CHANNELS, EVENT_NAMES, type Envelope, type EventName } from '../shared/contract';

const EVENT_CHANNEL = 'kneegrade:event';
const listeners = new Map<EventName, Set<(payload: never) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_e: IpcRendererEvent, event: EventName, payload: unknown) => {
  for (const l of listeners.get(event) ?? []) l(payload as never);
});

const api = buildApi(
  CHANNELS,
  async (channel, input) => {
    const env = (await ipcRenderer.invoke(channel, input)) as Envelope<unknown>;
    if (env.ok) return env.value;
    const { message } = env.error;
    // toString: a renderer that prints String(e) still shows the message, not "[object Object]".
    throw { name: 'ApiError', ...env.error, toString: () => message };
  },
  (event, listener) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
) satisfies KneeGradeApi;

contextBridge.exposeInMainWorld('kneegrade', api);
