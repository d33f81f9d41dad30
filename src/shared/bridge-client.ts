// The KneeGradeApi over the localhost HTTP bridge (src/bridge/server.ts), for the renderer when it runs
// in a plain browser (no preload). Browser-safe and Node-safe: fetch only (events by long-poll), so the
// integration tests drive the bridge with the very client the renderer uses.
//
// Protocol: POST {base}/api/<channel> with the wire-JSON input, header x-kneegrade-token, answers an
// Envelope; GET {base}/api/events?after=<seq>&token=... long-polls for events after <seq>.
import { buildApi, type KneeGradeApi, type Unsubscribe } from './api';
import {
  ApiError,
  CHANNELS,
  type ApiErrorBody,
  type Channel,
  type Envelope,
  type EventName,
} from './contract';
import { decodeFrame, FRAME_CONTENT_TYPE, fromWireJson, toWireJson } from './wire';

export const TOKEN_HEADER = 'x-kneegrade-token';

export interface BridgeClientOptions {
  /** e.g. 'http://127.0.0.1:5123'; default: the page's own origin. */
  baseUrl?: string;
  /** The bridge's per-run token; default: `?token=` of the page URL (then kept in sessionStorage). */
  token?: string;
  fetch?: typeof fetch;
}

interface WireEvent {
  seq: number;
  event: EventName;
  payload: unknown;
}

function pageToken(): string | undefined {
  const g = globalThis as {
    location?: { search: string };
    sessionStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  };
  const fromUrl = g.location ? new URLSearchParams(g.location.search).get('token') : null;
  if (fromUrl) {
    g.sessionStorage?.setItem('kneegrade-token', fromUrl);
    return fromUrl;
  }
  return g.sessionStorage?.getItem('kneegrade-token') ?? undefined;
}

export function createBridgeClient(opts: BridgeClientOptions = {}): KneeGradeApi {
  const g = globalThis as { location?: { origin: string } };
  const base = (opts.baseUrl ?? g.location?.origin ?? '').replace(/\/$/, '');
  const token = opts.token ?? pageToken() ?? '';
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function invoke(channel: Channel, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: input === undefined ? '' : toWireJson(input),
      });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new ApiError(
        'UNAVAILABLE',
        `${channel}: the KneeGrade bridge did not answer (${(e as Error).message}${cause ? `: ${cause}` : ''})`,
      );
    }
    let env: Envelope<unknown>;
    try {
      env = (
        res.headers.get('content-type') === FRAME_CONTENT_TYPE
          ? decodeFrame(await res.arrayBuffer())
          : fromWireJson(await res.text())
      ) as Envelope<unknown>;
    } catch {
      throw new ApiError(
        'INTERNAL',
        `${channel}: the bridge answered HTTP ${res.status} with a body that is not JSON`,
      );
    }
    if (env.ok) return env.value;
    const err: ApiErrorBody = env.error;
    throw new ApiError(err.code, err.message, err.issues);
  }

  // One shared long-poll loop feeds every subscriber; it runs only while someone listens.
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  let polling = false;
  let after = -1;

  async function pollLoop(): Promise<void> {
    polling = true;
    while ([...listeners.values()].some((s) => s.size > 0)) {
      try {
        const res = await doFetch(`${base}/api/events?after=${after}&token=${encodeURIComponent(token)}`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as { seq: number; events: WireEvent[] };
        for (const ev of body.events) {
          for (const l of listeners.get(ev.event) ?? []) l(ev.payload as never);
        }
        after = body.seq;
      } catch {
        // The bridge restarted or is gone: wait a little rather than spin.
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    polling = false;
  }

  function on(event: EventName, listener: (p: never) => void): Unsubscribe {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!polling) void pollLoop();
    return () => {
      set.delete(listener);
    };
  }

  return buildApi(CHANNELS, invoke, on);
}
