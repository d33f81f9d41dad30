import { describe, expect, it } from 'vitest';
import { ApiError, type GradeEvent } from '../../../src/shared/contract';
import {
  GradeSaver,
  type GradeInput,
  type JournalEntry,
  type JournalStore,
  type SaveState,
} from '../../../src/renderer/src/features/grading/gradeSaver';

function memoryJournal(initial: JournalEntry[] = []): JournalStore & { entries: JournalEntry[] } {
  const j = {
    entries: initial,
    read: () => j.entries.map((e) => ({ ...e })),
    write: (e: JournalEntry[]) => {
      j.entries = e;
    },
  };
  return j;
}

function event(input: GradeInput, id: number): GradeEvent {
  return {
    id,
    kneeId: input.kneeId,
    readerId: input.readerId,
    sessionId: input.sessionId ?? null,
    kind: 'grade',
    klg: input.klg,
    confidence: null,
    osteophyte: null,
    jsn: null,
    comment: null,
    timeSpentMs: input.timeSpentMs ?? null,
    retracts: null,
    createdAt: 'now',
  };
}

/** A deferred: the test decides when the core answers. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

const input: GradeInput = { kneeId: 7, readerId: 1, klg: 3, timeSpentMs: 4200 };

describe('GradeSaver', () => {
  it('journals the grade before the core answers, and forgets it once stored', async () => {
    const journal = memoryJournal();
    const answer = deferred<GradeEvent>();
    const states: SaveState['kind'][] = [];
    const saver = new GradeSaver({
      submit: () => answer.promise,
      journal,
      onState: (s) => states.push(s.kind),
    });
    const { saved } = saver.enter(input);
    // A crash now would lose nothing: the grade is in the journal.
    expect(journal.entries).toHaveLength(1);
    expect(journal.entries[0]!.input).toEqual(input);
    expect(saver.pendingCount()).toBe(1);
    answer.resolve(event(input, 11));
    expect((await saved)?.id).toBe(11);
    expect(journal.entries).toHaveLength(0);
    expect(states).toEqual(['saving', 'saved']);
  });

  it('retries while the core is unreachable and keeps the grade journaled meanwhile', async () => {
    const journal = memoryJournal();
    let calls = 0;
    const delays: number[] = [];
    const saver = new GradeSaver({
      submit: async (i) => {
        calls++;
        if (calls < 3) throw new ApiError('INTERNAL', 'core restarting');
        return event(i, 5);
      },
      journal,
      onState: (s) => {
        if (s.kind === 'retrying') expect(journal.entries).toHaveLength(1);
      },
      schedule: (fn, ms) => {
        delays.push(ms);
        fn();
      },
    });
    const { saved } = saver.enter(input);
    expect((await saved)?.id).toBe(5);
    expect(calls).toBe(3);
    expect(delays).toEqual([500, 1000]); // exponential backoff
    expect(journal.entries).toHaveLength(0);
  });

  it('does not retry an error a retry cannot fix, and says why', async () => {
    const journal = memoryJournal();
    const states: SaveState[] = [];
    let calls = 0;
    const saver = new GradeSaver({
      submit: async () => {
        calls++;
        throw new ApiError('CONFLICT', 'session 3 is completed');
      },
      journal,
      onState: (s) => states.push(s),
      schedule: () => {
        throw new Error('must not schedule a retry');
      },
    });
    expect(await saver.enter(input).saved).toBeNull();
    expect(calls).toBe(1);
    const last = states[states.length - 1]!;
    expect(last.kind).toBe('failed');
    expect(last.kind === 'failed' && last.message).toContain('session 3 is completed');
    expect(journal.entries).toHaveLength(0);
  });

  it('replays what a crashed run left in the journal', async () => {
    const left: JournalEntry[] = [
      { localId: 'a', input: { ...input, kneeId: 1 }, enteredAt: 't' },
      { localId: 'b', input: { ...input, kneeId: 2 }, enteredAt: 't' },
    ];
    const journal = memoryJournal(left);
    const submitted: number[] = [];
    const saver = new GradeSaver({
      submit: async (i) => {
        submitted.push(i.kneeId);
        return event(i, i.kneeId);
      },
      journal,
      onState: () => undefined,
    });
    expect(saver.replay()).toBe(2);
    await saver.settled();
    expect(submitted.sort()).toEqual([1, 2]);
    expect(journal.entries).toHaveLength(0);
    // Nothing left: a second replay sends nothing twice.
    expect(saver.replay()).toBe(0);
  });

  it('settled(knee) waits for that knee’s save (so an undo never overtakes its grade)', async () => {
    const journal = memoryJournal();
    const a = deferred<GradeEvent>();
    const saver = new GradeSaver({ submit: () => a.promise, journal, onState: () => undefined });
    saver.enter(input);
    let done = false;
    const waiting = saver.settled(input.kneeId).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    await saver.settled(999); // another knee: nothing to wait for
    a.resolve(event(input, 1));
    await waiting;
    expect(done).toBe(true);
  });
});
