// Saving grades so that none is ever lost: every grade is written to a local journal (synchronously,
// before the call leaves the window), submitted at once, retried with backoff while the core is
// unreachable, and removed from the journal only when the core has stored it. A journal left over
// from a crash is replayed at start-up. Grade entry never waits on any of this.
import type { GradeEvent, Input } from '../../../../shared/contract';
import { errorMessage, isPermanent } from '../../api/errors';

export type GradeInput = Input<'grades:submit'>;

export interface JournalEntry {
  localId: string;
  input: GradeInput;
  enteredAt: string;
}

/** Where the journal lives (localStorage in the app; a Map in tests). */
export interface JournalStore {
  read(): JournalEntry[];
  write(entries: JournalEntry[]): void;
}

export type SaveState =
  | { kind: 'saving'; entry: JournalEntry }
  | { kind: 'saved'; entry: JournalEntry; event: GradeEvent }
  | { kind: 'retrying'; entry: JournalEntry; attempt: number; message: string }
  | { kind: 'failed'; entry: JournalEntry; message: string };

export interface SaverOptions {
  submit: (input: GradeInput) => Promise<GradeEvent>;
  journal: JournalStore;
  onState: (s: SaveState) => void;
  /** Injected for tests. */
  schedule?: (fn: () => void, ms: number) => void;
  newId?: () => string;
}

const MAX_BACKOFF_MS = 30_000;

export class GradeSaver {
  private readonly inFlight = new Map<string, { kneeId: number; p: Promise<GradeEvent | null> }>();
  private counter = 0;

  constructor(private readonly opts: SaverOptions) {}

  /** Record a grade: journaled now, saved in the background. Resolves to the stored event, or null if it failed for good. */
  enter(input: GradeInput): { localId: string; saved: Promise<GradeEvent | null> } {
    const entry: JournalEntry = {
      localId: this.opts.newId?.() ?? `${Date.now().toString(36)}-${(this.counter++).toString(36)}`,
      input,
      enteredAt: new Date().toISOString(),
    };
    this.opts.journal.write([...this.opts.journal.read(), entry]);
    return { localId: entry.localId, saved: this.track(entry) };
  }

  /** Resubmit what a previous run journaled but never saw stored. Returns how many. */
  replay(): number {
    const entries = this.opts.journal.read().filter((e) => !this.inFlight.has(e.localId));
    for (const e of entries) void this.track(e);
    return entries.length;
  }

  /** Wait until every grade entered for `kneeId` so far is settled (before an undo, say). */
  async settled(kneeId?: number): Promise<void> {
    const waits = [...this.inFlight.values()].filter((f) => kneeId === undefined || f.kneeId === kneeId);
    await Promise.all(waits.map((f) => f.p));
  }

  pendingCount(): number {
    return this.opts.journal.read().length;
  }

  private track(entry: JournalEntry): Promise<GradeEvent | null> {
    const p = this.attempt(entry, 1).finally(() => this.inFlight.delete(entry.localId));
    this.inFlight.set(entry.localId, { kneeId: entry.input.kneeId, p });
    return p;
  }

  private async attempt(entry: JournalEntry, attempt: number): Promise<GradeEvent | null> {
    this.opts.onState(
      attempt === 1 ? { kind: 'saving', entry } : { kind: 'retrying', entry, attempt, message: '' },
    );
    try {
      const event = await this.opts.submit(entry.input);
      this.forget(entry.localId);
      this.opts.onState({ kind: 'saved', entry, event });
      return event;
    } catch (e) {
      const message = errorMessage(e);
      if (isPermanent(e)) {
        // Retrying cannot help; the reader is told and the entry leaves the journal.
        this.forget(entry.localId);
        this.opts.onState({ kind: 'failed', entry, message });
        return null;
      }
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
      this.opts.onState({ kind: 'retrying', entry, attempt: attempt + 1, message });
      await new Promise<void>((resolve) => (this.opts.schedule ?? setTimeout)(resolve, delay));
      return this.attempt(entry, attempt + 1);
    }
  }

  private forget(localId: string): void {
    this.opts.journal.write(this.opts.journal.read().filter((e) => e.localId !== localId));
  }
}

/** The journal in localStorage: survives a renderer crash, a reload and a power cut after flush. */
export function localStorageJournal(key = 'kneegrade.gradeJournal.v1'): JournalStore {
  return {
    read() {
      try {
        const raw = window.localStorage.getItem(key);
        return raw ? (JSON.parse(raw) as JournalEntry[]) : [];
      } catch {
        return [];
      }
    },
    write(entries) {
      try {
        window.localStorage.setItem(key, JSON.stringify(entries));
      } catch (e) {
        // Storage full or disabled: the grade still goes to the core; only the crash safety net is lost.
        console.warn(`[grades] cannot write the local journal: ${(e as Error).message}`);
      }
    },
  };
}
