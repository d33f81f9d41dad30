// The main process's handle on the core utility process: request/response by id, events relayed,
// and a restart when the process dies (calls in flight fail with a clear UNAVAILABLE error).
import { utilityProcess, type UtilityProcess } from 'electron';
import { ApiError, type Envelope, type EventName, type ServiceChannel } from '../shared/contract';
import type { CoreConfig, FromCore, ToCore } from './core-protocol';

const MAX_RESTARTS = 5;

export class CoreClient {
  private proc: UtilityProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (e: Envelope<unknown>) => void>();
  private ready: Promise<void> = Promise.resolve();
  private restarts = 0;
  private stopping = false;
  private fatal: string | null = null;

  constructor(
    private readonly entry: string,
    private readonly config: CoreConfig,
    private readonly onEvent: (event: EventName, payload: unknown) => void,
    private readonly log: (line: string) => void = (l) => console.error(l),
  ) {}

  start(): void {
    const proc = utilityProcess.fork(this.entry, [], { serviceName: 'KneeGrade core', stdio: 'inherit' });
    this.proc = proc;
    this.ready = new Promise<void>((resolve, reject) => {
      proc.on('message', (m: FromCore) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') {
          this.fatal = m.message;
          reject(new ApiError('UNAVAILABLE', `the study database could not be opened: ${m.message}`));
        } else if (m.type === 'result') {
          this.pending.get(m.id)?.(m.envelope);
          this.pending.delete(m.id);
        } else if (m.type === 'event') this.onEvent(m.event, m.payload);
      });
    });
    this.ready.catch(() => undefined);
    proc.on('exit', (code) => {
      for (const [, done] of this.pending) {
        done({
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: `the core process stopped (exit code ${code}); it is being restarted, please retry`,
          },
        });
      }
      this.pending.clear();
      this.proc = null;
      if (this.stopping || this.fatal) return;
      if (this.restarts++ < MAX_RESTARTS) {
        this.log(
          `[kneegrade] core process exited with code ${code}; restarting (${this.restarts}/${MAX_RESTARTS})`,
        );
        this.start();
      } else this.log('[kneegrade] core process keeps dying; not restarting again');
    });
    proc.postMessage({ type: 'init', config: this.config } satisfies ToCore);
  }

  async call(channel: ServiceChannel, input: unknown): Promise<Envelope<unknown>> {
    try {
      await this.ready;
    } catch (e) {
      return { ok: false, error: ApiError.from(e).toBody() };
    }
    const proc = this.proc;
    if (!proc)
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'the core process is not running' } };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      proc.postMessage({ type: 'call', id, channel, input } satisfies ToCore);
    });
  }

  stop(): void {
    this.stopping = true;
    this.proc?.kill();
  }
}
