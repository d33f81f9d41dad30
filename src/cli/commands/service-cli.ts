// Helpers the service-backed commands (readers, grade, sessions) share: output as text or JSON, the
// contract's errors as one clear CLI line with the right exit code, readers named or numbered.
import { ApiError } from '../../shared/contract';
import type { Call } from '../../core/services/local';
import { CliError, EXIT, type GlobalOptions } from '../context';

export function print<T>(g: GlobalOptions, value: T, text: () => string): void {
  process.stdout.write(g.json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

export function toCliError(e: unknown): never {
  const err = ApiError.from(e);
  throw new CliError(err.message, err.code === 'INVALID_INPUT' ? EXIT.USAGE : EXIT.FAIL);
}

/** Left-aligned plain-text table. */
export function table(header: string[], rows: (string | number | null)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A reader given as id or name. */
export async function resolveReader(call: Call, ref: string): Promise<number> {
  const readers = await call('readers:list', {});
  const byId = /^\d+$/.test(ref) ? readers.find((r) => r.id === Number(ref)) : undefined;
  const hit = byId ?? readers.find((r) => r.name === ref.trim());
  if (!hit) {
    throw new CliError(
      `no reader "${ref}" (readers: ${readers.map((r) => r.name).join(', ') || 'none'}); add one with \`kneegrade readers add <name>\``,
      EXIT.USAGE,
    );
  }
  return hit.id;
}

export function intArg(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${name} must be an integer ${min}-${max}, got "${v}"`, EXIT.USAGE);
  return n;
}
