import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade readers`.
export function register(program: Command): void {
  program
    .command('readers')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade readers is not built yet');
    });
}
