import type { Command } from 'commander';

// Placeholder: replaced by the module that implements `kneegrade render`.
export function register(program: Command): void {
  program
    .command('render')
    .description('(not built yet)')
    .action(() => {
      throw new Error('kneegrade render is not built yet');
    });
}
