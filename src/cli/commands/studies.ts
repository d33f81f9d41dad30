import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade studies`.
export function register(program: Command): void {
  program
    .command('studies')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade studies is not built yet');
    });
}
