// The typed client interface derived from the contract: one function per channel, grouped by domain,
// e.g. `api.knees.list({ studyId: 3 })`, `api.grades.submit({...})`. The preload (window.kneegrade)
// and the browser bridge client both implement it, so the renderer never knows which it talks to.
// Every function rejects with an `ApiError` (see contract.ts) whose `code` says what went wrong.
import type { Channel, EventName, Events, Input, Output } from './contract';

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

/** A channel's function: the input is optional when every field of it is. */
export type ChannelFn<C extends Channel> =
  undefined extends Input<C>
    ? (input?: Input<C>) => Promise<Output<C>>
    : (input: Input<C>) => Promise<Output<C>>;

export type DomainApi<D extends string> = {
  [C in Channel as VerbOf<C, D>]: C extends `${D}:${string}` ? ChannelFn<C> : never;
};

export type Unsubscribe = () => void;

export type KneeGradeApi = {
  [D in DomainOf<Channel>]: DomainApi<D>;
} & {
  /** Subscribe to a core event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): Unsubscribe;
};

/** Split a channel into its domain and verb. */
export function splitChannel(c: Channel): [string, string] {
  const i = c.indexOf(':');
  return [c.slice(0, i), c.slice(i + 1)];
}

/**
 * Build a KneeGradeApi from one generic `invoke` and `on`: every transport (preload, bridge client,
 * tests) uses this, so the set of functions is exactly the contract's, never hand-written.
 */
export function buildApi(
  channels: readonly Channel[],
  invoke: (channel: Channel, input: unknown) => Promise<unknown>,
  on: (event: EventName, listener: (payload: never) => void) => Unsubscribe,
): KneeGradeApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>> | unknown> = {};
  for (const c of channels) {
    const [domain, verb] = splitChannel(c);
    const group = (api[domain] ??= {}) as Record<string, (input?: unknown) => Promise<unknown>>;
    group[verb] = (input?: unknown) => invoke(c, input);
  }
  api.on = on;
  return api as unknown as KneeGradeApi;
}
