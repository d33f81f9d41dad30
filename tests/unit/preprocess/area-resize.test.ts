import { describe, expect, it } from 'vitest';
import { areaResize } from '../../../src/core/preprocess/area-resize';
import { cropToNative } from '../../../src/core/preprocess/crop';
import { hasVenv, runPythonOnBytes, testImage, venvPython } from './helpers';

describe('areaResize', () => {
  it('averages exact 2x2 blocks on an integer downscale', () => {
    const src = new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 0, 0, 255, 255, 0, 0, 255, 255]);
    const out = areaResize(src, 4, 4, 2, 2);
    // (10+20+50+60)/4 = 35, (30+40+70+80)/4 = 55, 0, 255
    expect(Array.from(out)).toEqual([35, 55, 0, 255]);
  });

  it('returns a copy when nothing changes and refuses a box outside the image', () => {
    const src = testImage(8, 8, 1);
    expect(Array.from(areaResize(src, 8, 8, 8, 8))).toEqual(Array.from(src));
    expect(() => areaResize(src, 8, 8, 4, 4, [-1, 0, 8, 8])).toThrow(/outside/);
  });

  it('pads crops that extend past the image with black, keeping the joint in place', () => {
    const img = { width: 10, height: 10, pixels: new Uint8Array(100).fill(200) };
    const out = cropToNative(img, { x: -10, y: 0, w: 20, h: 10 }, 2);
    // Left half of the crop lies outside the image -> black; right half is the image.
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(200);
  });
});

describe.skipIf(!hasVenv)('areaResize is bit-exact with Pillow BOX (training pipeline resampler)', () => {
  const cases: { w: number; h: number; ow: number; oh: number; box: [number, number, number, number] }[] = [
    { w: 300, h: 260, ow: 224, oh: 224, box: [0, 0, 300, 260] },
    { w: 512, h: 480, ow: 224, oh: 224, box: [37.3, 12.8, 437.3, 412.8] },
    { w: 100, h: 90, ow: 224, oh: 224, box: [5, 3, 95, 88.5] },
    { w: 640, h: 640, ow: 224, oh: 224, box: [100, 100, 420, 420] },
    // Pixel centres exactly on the box edges: decides which side of the filter's (-0.5, 0.5] is open.
    { w: 449, h: 449, ow: 224, oh: 224, box: [0.5, 0.5, 448.5, 448.5] },
  ];
  for (const c of cases) {
    it(`${c.w}x${c.h} box ${c.box.join(',')} -> ${c.ow}x${c.oh}`, () => {
      const src = testImage(c.w, c.h, c.w * 31 + c.h);
      const ref = runPythonOnBytes(
        venvPython,
        `from PIL import Image\nim = Image.frombytes('L', (ARGS['w'], ARGS['h']), open(IN,'rb').read())\n` +
          `open(OUT,'wb').write(im.resize((ARGS['ow'], ARGS['oh']), Image.BOX, box=tuple(ARGS['box'])).tobytes())`,
        src,
        c,
      );
      const ours = areaResize(src, c.w, c.h, c.ow, c.oh, c.box);
      let diff = 0;
      for (let i = 0; i < ours.length; i++) if (ours[i] !== ref[i]) diff++;
      expect(ref.length).toBe(ours.length);
      expect(diff).toBe(0);
    }, 60_000);
  }
});
