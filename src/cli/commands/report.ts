import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade report`.
export function register(program: Command): void {
  program
    .command('report')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade report is not built yet');
    });
}
