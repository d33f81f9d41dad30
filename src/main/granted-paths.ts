// The allow-list of paths the user chose in a native dialog during this run. The renderer may only
// name these in import:run / exports:*: a compromised renderer cannot make the core read or overwrite
// arbitrary files. Pure (no Electron), so it is unit-tested.
import path from 'node:path';
import { ApiError, type Channel, type ParsedInput } from '../shared/contract';

export class GrantedPaths {
  private readonly read = new Set<string>();
  private readonly write = new Set<string>();

  grantRead(p: string): void {
    this.read.add(path.resolve(p));
  }
  grantWrite(p: string): void {
    this.write.add(path.resolve(p));
  }

  /** A path the user picked, or inside a folder they picked. */
  checkRead(p: string, channel: string): void {
    const abs = path.resolve(p);
    for (const g of this.read) if (abs === g || abs.startsWith(g + path.sep)) return;
    throw new ApiError(
      'FORBIDDEN',
      `${channel}: ${p} was not chosen in a file dialog; choose it with Import… first`,
    );
  }

  checkWrite(p: string, channel: string): void {
    if (!this.write.has(path.resolve(p)))
      throw new ApiError('FORBIDDEN', `${channel}: ${p} was not chosen in a save dialog`);
  }

  /** Every path in a (validated) request must have been granted. */
  checkRequest(channel: Channel, input: unknown): void {
    if (channel === 'import:run') {
      const i = input as ParsedInput<'import:run'>;
      for (const p of i.paths) this.checkRead(p, channel);
      if (i.labelsCsv) this.checkRead(i.labelsCsv, channel);
    } else if (channel === 'exports:labelledCsv' || channel === 'exports:htmlReport') {
      const p = (input as { path?: string }).path;
      if (p !== undefined) this.checkWrite(p, channel);
    }
  }
}
