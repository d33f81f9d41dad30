import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade import`.
export function register(program: Command): void {
  program
    .command('import')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade import is not built yet');
    });
}
