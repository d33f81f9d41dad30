import { main } from '../../../src/cli/main';

/** Run the CLI in this process (fast: no tsx start-up per call), capturing its output; paths must be absolute. */
export async function runCliInProcess(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => (
    (stdout += String(c)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => (
    (stderr += String(c)),
    true
  )) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'kneegrade', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}
