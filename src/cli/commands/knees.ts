import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade knees`.
export function register(program: Command): void {
  program
    .command('knees')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade knees is not built yet');
    });
}
