import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade grade`.
export function register(program: Command): void {
  program
    .command('grade')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade grade is not built yet');
    });
}
