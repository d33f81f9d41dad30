import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade embed`.
export function register(program: Command): void {
  program
    .command('embed')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade embed is not built yet');
    });
}
