import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage, loadImageBytes } from '../../../src/core/image/load';
import { encodePng8, writePng8 } from '../../../src/core/image/png';
import { cropGrey } from '../../../src/core/image/crop';
import { displayWithWindow, linearWindow8 } from '../../../src/core/image/window';
import { ImageLoadError } from '../../../src/core/image/errors';
import { DicomError } from '../../../src/core/dicom';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-img-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 6x4 gradient whose grey value encodes the position, so orientation errors show. */
function gradient(w = 6, h = 4): Uint8Array {
  const g = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) g[y * w + x] = y * 40 + x * 7;
  return g;
}

describe('encodePng8 / writePng8', () => {
  it('round-trips a grey image exactly', async () => {
    const g = gradient();
    const file = path.join(dir, 'g.png');
    await writePng8(file, 6, 4, g);
    const png = PNG.sync.read(encodePng8(6, 4, g));
    expect(png.width).toBe(6);
    const back = await loadImage(file);
    expect(back.format).toBe('png');
    expect([back.width, back.height, back.bitDepth]).toEqual([6, 4, 8]);
    expect(Array.from(back.display8)).toEqual(Array.from(g));
  });
  it('refuses a pixel count that does not match the size', () => {
    expect(() => encodePng8(6, 4, new Uint8Array(5))).toThrow(/5 pixels/);
  });
});

describe('loadImage (rasters)', () => {
  it('grey = first channel of an RGB JPEG/WebP (lossless WebP exact)', async () => {
    const w = 6;
    const h = 4;
    const rgb = Buffer.alloc(w * h * 3);
    const g = gradient();
    for (let i = 0; i < w * h; i++) {
      rgb[i * 3] = g[i]!;
      rgb[i * 3 + 1] = 255 - g[i]!; // other channels differ on purpose
      rgb[i * 3 + 2] = 3;
    }
    const webp = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
      .webp({ lossless: true })
      .toBuffer();
    const img = await loadImageBytes(webp, 'x.webp');
    expect(img.format).toBe('webp');
    expect(Array.from(img.display8)).toEqual(Array.from(g));
    const jpeg = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    const j = await loadImageBytes(jpeg, 'x.jpg');
    expect(j.format).toBe('jpeg');
    expect(j.width).toBe(6);
  });

  it('keeps a 16-bit PNG at depth and stretches it for display', async () => {
    const w = 4;
    const h = 2;
    const png = new PNG({
      width: w,
      height: h,
      bitDepth: 16,
      colorType: 0,
      inputColorType: 0,
      inputHasAlpha: false,
    });
    const vals = [0, 1000, 30000, 65535, 5, 6, 7, 40000];
    // pngjs packs a 16-bit image from one array element per sample
    png.data = Uint16Array.from(vals) as unknown as Buffer;
    const bytes = PNG.sync.write(png, {
      bitDepth: 16,
      colorType: 0,
      inputColorType: 0,
      inputHasAlpha: false,
    });
    const img = await loadImageBytes(bytes, 'deep.png');
    expect(img.bitDepth).toBe(16);
    expect(Array.from(img.values)).toEqual(vals);
    expect(img.display8[0]).toBe(0);
    expect(img.display8[3]).toBe(255);
    expect(img.display8[2]).toBe(Math.round((30000 / 65535) * 255));
  });

  it('pixelSha256 depends on pixels, not on file metadata', async () => {
    const g = gradient();
    const a = await sharp(Buffer.from(g), { raw: { width: 6, height: 4, channels: 1 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const b = await sharp(Buffer.from(g), { raw: { width: 6, height: 4, channels: 1 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(a.equals(b)).toBe(false);
    const [la, lb] = await Promise.all([loadImageBytes(a), loadImageBytes(b)]);
    expect(la.pixelSha256).toBe(lb.pixelSha256);
    const g2 = gradient();
    g2[0] = 1;
    const c = await sharp(Buffer.from(g2), { raw: { width: 6, height: 4, channels: 1 } })
      .png()
      .toBuffer();
    expect((await loadImageBytes(c)).pixelSha256).not.toBe(la.pixelSha256);
  });

  it('a truncated PNG, an empty file, a missing file and a non-image each fail with a clear error', async () => {
    const good = encodePng8(6, 4, gradient());
    await expect(loadImageBytes(good.subarray(0, 40), 'cut.png')).rejects.toThrow(
      /cut\.png: cannot decode the PNG/,
    );
    await expect(loadImageBytes(new Uint8Array(0), 'empty.png')).rejects.toBeInstanceOf(ImageLoadError);
    await expect(loadImage(path.join(dir, 'missing.png'))).rejects.toThrow(
      /missing\.png: cannot read the file \(ENOENT\)/,
    );
    const txt = path.join(dir, 'notes.txt');
    writeFileSync(txt, 'hello, this is not an image at all'.repeat(10));
    await expect(loadImage(txt)).rejects.toBeInstanceOf(DicomError);
  });
});

describe('windows and crops', () => {
  it('linearWindow8 follows the DICOM linear formula', () => {
    const v = new Float32Array([0, 99, 150, 200, 1000]);
    const out = linearWindow8(v, { center: 150, width: 101 });
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[4]).toBe(255);
    expect(out[2]).toBeGreaterThan(120);
    expect(out[2]).toBeLessThan(135);
    expect(Array.from(linearWindow8(v, { center: 150, width: 101 }, true))).toEqual(
      Array.from(out).map((x) => 255 - x),
    );
  });
  it('displayWithWindow on a raster uses the values at depth', async () => {
    const img = await loadImageBytes(encodePng8(6, 4, gradient()));
    expect(displayWithWindow(img)).toBe(img.display8);
    const narrow = displayWithWindow(img, { center: 60, width: 2 });
    expect(narrow.every((x) => x === 0 || x === 255)).toBe(true);
  });
  it('cropGrey pads outside the image with black', () => {
    const src = { width: 6, height: 4, data: gradient() };
    const c = cropGrey(src, { x: -1, y: 2, w: 3, h: 3 });
    expect([c.width, c.height]).toEqual([3, 3]);
    expect(Array.from(c.data)).toEqual([0, 80, 87, 0, 120, 127, 0, 0, 0]);
  });
});
