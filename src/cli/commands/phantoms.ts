import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade phantoms`.
export function register(program: Command): void {
  program
    .command('phantoms')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade phantoms is not built yet');
    });
}
