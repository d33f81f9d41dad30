import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade agreement`.
export function register(program: Command): void {
  program
    .command('agreement')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade agreement is not built yet');
    });
}
