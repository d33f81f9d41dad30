// images:pixels on real third-party radiographs (shared data; skipped when absent): the 16-bit values
// the viewer gets are exactly the decoder's modality values, with the file's windows (or its VOI LUT
// as a window) and MONOCHROME1 inversion.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDicom } from '../../../src/core/dicom';
import { dispatch } from '../../../src/core/services';
import { openServiceHost, type ServiceHost } from '../../../src/core/services/host';
import { pixelsAsUint16 } from '../../../src/shared/contract';

const root = path.resolve(__dirname, '..', '..', '..');
const samples = path.resolve(root, '..', 'shared', 'data', 'dicom-samples');
const FILES = [
  'fo-dicom/CR-MONO1-10-chest',
  'pylibjpeg-data/966_fixed.dcm',
  'pylibjpeg-data/RG2_JLSL.dcm',
  'pydicom-data/vlut_04.dcm',
];
const hasShared = FILES.every((f) => existsSync(path.join(samples, f)));
if (!hasShared) console.log(`real-dicom: skipped, ${samples} is not present`);

let dir = '';
let host: ServiceHost;

describe.skipIf(!hasShared)('images:pixels on real radiographs', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kg-real-'));
    host = openServiceHost({
      dbPath: path.join(dir, 'k.db'),
      modelRoots: { defaults: dir, user: dir },
      workDir: dir,
      transport: 'bridge',
      version: 't',
    });
  });
  afterAll(() => {
    host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports them and hands the viewer the decoder’s exact values, windows and inversion', async () => {
    const r = await dispatch('import:run', { paths: FILES.map((f) => path.join(samples, f)) }, host.ctx);
    const images = host.ctx.db.prepare('SELECT id, path FROM images').all() as { id: number; path: string }[];
    // Every CR/DX film must import; the secondary-capture LUT test image may be refused by policy.
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect(r.errors.filter((e) => !e.path.endsWith('vlut_04.dcm'))).toEqual([]);
    for (const img of images) {
      const px = await dispatch('images:pixels', { imageId: img.id }, host.ctx);
      const d = await decodeDicom(readFileSync(img.path), { file: img.path });
      expect([px.rows, px.columns]).toEqual([d.rows, d.columns]);
      expect(px.invert).toBe(d.invert);
      expect(px.windows.length).toBeGreaterThan(0);
      const u = pixelsAsUint16(px);
      const step = Math.max(1, Math.floor(d.values.length / 5000));
      for (let i = 0; i < d.values.length; i += step)
        expect(u[i]! * px.scale + px.offset).toBeCloseTo(d.values[i]!, 6);
    }
  });
});
