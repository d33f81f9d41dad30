import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade predict`.
export function register(program: Command): void {
  program
    .command('predict')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade predict is not built yet');
    });
}
