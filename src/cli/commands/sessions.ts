import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade sessions`.
export function register(program: Command): void {
  program
    .command('sessions')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade sessions is not built yet');
    });
}
