import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade models`.
export function register(program: Command): void {
  program
    .command('models')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade models is not built yet');
    });
}
