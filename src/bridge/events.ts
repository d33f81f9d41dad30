// Core events for browser clients: a numbered ring buffer that long-poll requests read from. A client
// passes the last sequence number it saw and gets every later event, or waits for the next one.
import type { EventName } from '../shared/contract';

export interface QueuedEvent {
  seq: number;
  event: EventName;
  payload: unknown;
}

export class EventQueue {
  private seq = 0;
  private readonly buf: QueuedEvent[] = [];
  private waiters = new Set<() => void>();

  constructor(private readonly capacity = 2000) {}

  push(event: EventName, payload: unknown): void {
    this.buf.push({ seq: ++this.seq, event, payload });
    if (this.buf.length > this.capacity) this.buf.shift();
    const w = this.waiters;
    this.waiters = new Set();
    for (const fn of w) fn();
  }

  get current(): number {
    return this.seq;
  }

  after(seq: number): QueuedEvent[] {
    return this.buf.filter((e) => e.seq > seq);
  }

  /** Events after `seq`; when there are none yet, wait up to `timeoutMs` for one. `after < 0` = from now. */
  async poll(
    after: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ seq: number; events: QueuedEvent[] }> {
    if (after < 0) return { seq: this.seq, events: [] };
    const ready = this.after(after);
    if (ready.length || timeoutMs <= 0) return { seq: this.seq, events: ready };
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
    return { seq: this.seq, events: this.after(after) };
  }

  /** Wake every waiting poll (server shutting down). */
  wakeAll(): void {
    for (const fn of this.waiters) fn();
  }
}
