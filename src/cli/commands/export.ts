import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade export`.
export function register(program: Command): void {
  program
    .command('export')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade export is not built yet');
    });
}
