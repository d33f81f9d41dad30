import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade head`.
export function register(program: Command): void {
  program
    .command('head')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade head is not built yet');
    });
}
