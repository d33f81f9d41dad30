#!/usr/bin/env node
// The headless CLI. Runs the TypeScript sources through tsx so the CLI, the tests and the desktop app
// share one core without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
