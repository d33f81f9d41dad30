import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade demo`.
export function register(program: Command): void {
  program
    .command('demo')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade demo is not built yet');
    });
}
