// `kneegrade readers list|add`: the people (or label sources) who grade knees.
import type { Command } from 'commander';
import { withLocalServices } from '../../core/services/local';
import { defaultDbPath, type GlobalOptions } from '../context';
import { print, table, toCliError } from './service-cli';

export function register(program: Command): void {
  const cmd = program.command('readers').description('list or add readers');
  cmd
    .command('list', { isDefault: true })
    .description('list the readers')
    .action(async () => {
      const g = program.opts<GlobalOptions>();
      const readers = await withLocalServices(g.db ?? defaultDbPath(), (call) =>
        call('readers:list', {}),
      ).catch(toCliError);
      print(g, readers, () =>
        readers.length
          ? table(
              ['id', 'name', 'role', 'created'],
              readers.map((r) => [r.id, r.name, r.role, r.createdAt]),
            )
          : 'no readers yet: add one with `kneegrade readers add <name>`',
      );
    });
  cmd
    .command('add <name>')
    .description('add a reader (names are unique)')
    .option('--role <role>', 'reader | resident | expert | admin', 'reader')
    .action(async (name: string, o: { role: string }) => {
      const g = program.opts<GlobalOptions>();
      const r = await withLocalServices(g.db ?? defaultDbPath(), (call) =>
        call('readers:create', { name, role: o.role as 'reader' }),
      ).catch(toCliError);
      print(g, r, () => `reader ${r.id}: ${r.name} (${r.role})`);
    });
}
