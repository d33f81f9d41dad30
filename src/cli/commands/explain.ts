import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade explain`.
export function register(program: Command): void {
  program
    .command('explain')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade explain is not built yet');
    });
}
