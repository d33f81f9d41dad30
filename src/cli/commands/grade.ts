// `kneegrade grade <knee> <klg> --reader R`: record a KL grade (append-only), or `--undo` the reader's
// latest grade of the knee, or show its `--history`.
import type { Command } from 'commander';
import { withLocalServices } from '../../core/services/local';
import { CliError, EXIT, defaultDbPath, type GlobalOptions } from '../context';
import { intArg, print, resolveReader, table, toCliError } from './service-cli';

interface GradeOpts {
  reader: string;
  session?: string;
  confidence?: string;
  osteophyte?: string;
  jsn?: string;
  comment?: string;
  timeMs?: string;
  undo?: boolean;
  history?: boolean;
}

export function register(program: Command): void {
  program
    .command('grade <knee> [klg]')
    .description(
      'record a reader’s KL grade (0-4) of a knee; --undo retracts their latest grade; --history lists every event',
    )
    .requiredOption('--reader <name|id>', 'who is grading')
    .option('--session <id>', 'the reading session this grade belongs to')
    .option('--confidence <1-5>', 'confidence, 1 (guess) to 5 (certain)')
    .option('--osteophyte <0-3>', 'OARSI osteophyte grade')
    .option('--jsn <0-3>', 'OARSI joint-space narrowing grade')
    .option('--comment <text>', 'free-text comment')
    .option('--time-ms <ms>', 'time spent on the knee, milliseconds')
    .option('--undo', 'retract the reader’s latest grade of this knee (a retract event; nothing is deleted)')
    .option('--history', 'list the reader’s grade events for this knee')
    .action(async (kneeArg: string, klgArg: string | undefined, o: GradeOpts) => {
      const g = program.opts<GlobalOptions>();
      const kneeId = intArg('knee', kneeArg, 1, Number.MAX_SAFE_INTEGER)!;
      const sessionId = intArg('--session', o.session, 1, Number.MAX_SAFE_INTEGER);
      if ((o.undo || o.history) && klgArg !== undefined)
        throw new CliError('give a grade or --undo/--history, not both', EXIT.USAGE);
      if (!o.undo && !o.history && klgArg === undefined)
        throw new CliError('missing the KL grade (0-4)', EXIT.USAGE);
      await withLocalServices(g.db ?? defaultDbPath(), async (call) => {
        const readerId = await resolveReader(call, o.reader);
        if (o.history) {
          const events = await call('grades:history', { kneeId, readerId });
          print(g, events, () =>
            events.length
              ? table(
                  ['event', 'kind', 'klg', 'session', 'retracts', 'time ms', 'at'],
                  events.map((e) => [
                    e.id,
                    e.kind,
                    e.klg,
                    e.sessionId,
                    e.retracts,
                    e.timeSpentMs,
                    e.createdAt,
                  ]),
                )
              : `no grade events of knee ${kneeId} by this reader`,
          );
          return;
        }
        if (o.undo) {
          const r = await call('grades:undo', { kneeId, readerId, ...(sessionId ? { sessionId } : {}) });
          print(
            g,
            r,
            () =>
              `retracted grade event ${r.retractedEventId}; effective grade now ${r.effective ? `KL${r.effective.klg}` : 'none'}`,
          );
          return;
        }
        const ev = await call('grades:submit', {
          kneeId,
          readerId,
          klg: intArg('klg', klgArg, 0, 4)!,
          ...(sessionId ? { sessionId } : {}),
          ...(o.confidence !== undefined ? { confidence: intArg('--confidence', o.confidence, 1, 5)! } : {}),
          ...(o.osteophyte !== undefined ? { osteophyte: intArg('--osteophyte', o.osteophyte, 0, 3)! } : {}),
          ...(o.jsn !== undefined ? { jsn: intArg('--jsn', o.jsn, 0, 3)! } : {}),
          ...(o.comment !== undefined ? { comment: o.comment } : {}),
          ...(o.timeMs !== undefined ? { timeSpentMs: intArg('--time-ms', o.timeMs, 0, 86_400_000)! } : {}),
        });
        print(g, ev, () => `knee ${kneeId}: KL${ev.klg} recorded (event ${ev.id})`);
      }).catch((e: unknown) => (e instanceof CliError ? Promise.reject(e) : toCliError(e)));
    });
}
