// `kneegrade sessions …`: reading sessions (seeded random order per reader, blinded or AI-aided,
// re-reads after a washout), their progress, pause/resume, and the next knee to read.
import type { Command } from 'commander';
import type { SessionSummary } from '../../shared/contract';
import { withLocalServices, type Call } from '../../core/services/local';
import { CliError, defaultDbPath, type GlobalOptions } from '../context';
import { intArg, print, resolveReader, table, toCliError } from './service-cli';

const ID_MAX = Number.MAX_SAFE_INTEGER;

function summaryLine(s: SessionSummary): string {
  const flags = [
    s.kind === 'reread' ? `re-read of ${s.rereadOf} after ${s.washoutDays} d` : null,
    s.blinded ? 'blinded' : null,
    s.aiAided ? 'AI-aided' : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `session ${s.id} "${s.name}" — ${s.readerName}, ${s.done}/${s.total} graded, ${s.status}${flags ? `, ${flags}` : ''}, order seed ${s.seed}`;
}

function run<T>(program: Command, fn: (call: Call, g: GlobalOptions) => Promise<T>): Promise<T> {
  const g = program.opts<GlobalOptions>();
  return withLocalServices(g.db ?? defaultDbPath(), (call) => fn(call, g)).catch((e: unknown) =>
    e instanceof CliError ? Promise.reject(e) : toCliError(e),
  );
}

interface CreateOpts {
  reader: string;
  name: string;
  knees?: string;
  study?: string;
  unblinded?: boolean;
  aiAided?: boolean;
  seed?: string;
  rereadOf?: string;
  washoutDays: string;
  force?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('sessions')
    .description('reading sessions: create, list, show, pause, resume, next');

  cmd
    .command('create')
    .description(
      'create a reading session (knees in a random order recorded by its seed; blinded by default)',
    )
    .requiredOption('--reader <name|id>', 'who reads')
    .requiredOption('--name <text>', 'session name')
    .option('--knees <ids>', 'comma-separated knee ids (default: every knee)')
    .option('--study <id>', 'every knee of one study')
    .option('--unblinded', 'show reference labels and other readers’ grades')
    .option('--ai-aided', 'show the models’ grades (implies --unblinded)')
    .option('--seed <n>', 'order seed (default: random, recorded)')
    .option('--reread-of <session>', 'a re-read of an earlier session’s graded knees, by the same reader')
    .option('--washout-days <n>', 'days since that session’s last grade before a re-read is allowed', '28')
    .option('--force', 're-read before the washout has passed (recorded in the session name)')
    .action(async (o: CreateOpts) => {
      const knees = o.knees?.split(',').map((k) => intArg('--knees', k.trim(), 1, ID_MAX)!);
      await run(program, async (call, g) => {
        const readerId = await resolveReader(call, o.reader);
        const s = await call('sessions:create', {
          readerId,
          name: o.name,
          blinded: !(o.unblinded || o.aiAided),
          aiAided: Boolean(o.aiAided),
          washoutDays: intArg('--washout-days', o.washoutDays, 0, 3650)!,
          force: Boolean(o.force),
          ...(knees ? { kneeIds: knees } : {}),
          ...(o.study ? { studyId: intArg('--study', o.study, 1, ID_MAX)! } : {}),
          ...(o.seed ? { seed: intArg('--seed', o.seed, 0, 0xffffffff)! } : {}),
          ...(o.rereadOf ? { rereadOf: intArg('--reread-of', o.rereadOf, 1, ID_MAX)! } : {}),
        });
        print(g, s, () => `created ${summaryLine(s)}`);
      });
    });

  cmd
    .command('list', { isDefault: true })
    .description('list sessions with their progress')
    .option('--reader <name|id>', 'only this reader’s')
    .action(async (o: { reader?: string }) => {
      await run(program, async (call, g) => {
        const readerId = o.reader ? await resolveReader(call, o.reader) : undefined;
        const list = await call('sessions:list', readerId ? { readerId } : {});
        print(g, list, () =>
          list.length
            ? table(
                ['id', 'name', 'reader', 'kind', 'blinded', 'ai', 'done', 'status', 'seed'],
                list.map((s) => [
                  s.id,
                  s.name,
                  s.readerName,
                  s.kind,
                  s.blinded ? 'yes' : 'no',
                  s.aiAided ? 'yes' : 'no',
                  `${s.done}/${s.total}`,
                  s.status,
                  s.seed,
                ]),
              )
            : 'no reading sessions yet',
        );
      });
    });

  cmd
    .command('show <id>')
    .description('a session and its knees in reading order')
    .action(async (id: string) => {
      await run(program, async (call, g) => {
        const s = await call('sessions:get', { sessionId: intArg('session', id, 1, ID_MAX)! });
        print(
          g,
          s,
          () =>
            `${summaryLine(s)}\n${table(
              ['#', 'knee', 'graded', 'klg'],
              s.items.map((i) => [i.position, i.kneeId, i.graded ? 'yes' : 'no', i.klg]),
            )}`,
        );
      });
    });

  for (const verb of ['pause', 'resume'] as const) {
    cmd
      .command(`${verb} <id>`)
      .description(`${verb} a session`)
      .action(async (id: string) => {
        await run(program, async (call, g) => {
          const s = await call(`sessions:${verb}`, { sessionId: intArg('session', id, 1, ID_MAX)! });
          print(g, s, () => summaryLine(s));
        });
      });
  }

  cmd
    .command('next <id>')
    .description('the next knee to read in a session (n of N), or that it is complete')
    .action(async (id: string) => {
      await run(program, async (call, g) => {
        const n = await call('sessions:next', { sessionId: intArg('session', id, 1, ID_MAX)! });
        print(g, n, () =>
          n.next
            ? `knee ${n.next.kneeId} (${n.next.position} of ${n.next.total})`
            : `session ${n.session.id} is complete (${n.session.done}/${n.session.total})`,
        );
      });
    });
}
