import { describe, expect, it } from 'vitest';
import { clahe } from '../../../src/core/preprocess/clahe';
import { pythonHas, runPythonOnBytes, testImage } from './helpers';

// OpenCV is the reference: Debian's python3-opencv for /usr/bin/python3 when installed.
const SYS_PY = '/usr/bin/python3';
const hasCv2 = pythonHas(SYS_PY, 'cv2');
if (!hasCv2)
  console.warn(
    'clahe.test: OpenCV (python3-opencv for /usr/bin/python3) not installed; skipping the OpenCV comparison',
  );

describe('clahe', () => {
  it('leaves a constant image constant and never inverts ordering', () => {
    const flat = new Uint8Array(64 * 64).fill(100);
    const out = clahe(flat, 64, 64, { clipLimit: 2, tiles: 8 });
    expect(new Set(out).size).toBe(1);
    const ramp = new Uint8Array(64 * 64).map((_, i) => i % 64);
    const r = clahe(ramp, 64, 64, { clipLimit: 2, tiles: 1 });
    for (let x = 1; x < 64; x++) expect(r[x]!).toBeGreaterThanOrEqual(r[x - 1]!);
  });

  it('stretches a low-contrast image', () => {
    const src = testImage(96, 96, 7).map((v) => 100 + (v >> 3));
    const out = clahe(src, 96, 96, { clipLimit: 2, tiles: 8 });
    const span = (a: Uint8Array) => Math.max(...a) - Math.min(...a);
    expect(span(out)).toBeGreaterThan(span(src) * 2);
  });
});

describe.skipIf(!hasCv2)('clahe matches OpenCV createCLAHE exactly', () => {
  const cases = [
    { w: 224, h: 224, clip: 2.0, tiles: 8 },
    { w: 230, h: 201, clip: 2.0, tiles: 8 }, // not divisible: BORDER_REFLECT_101 padding
    { w: 64, h: 64, clip: 4.0, tiles: 4 },
    { w: 224, h: 224, clip: 0.5, tiles: 8 }, // heavy clipping: residual redistribution
  ];
  for (const c of cases) {
    it(`${c.w}x${c.h} clip ${c.clip} tiles ${c.tiles}`, () => {
      const src = testImage(c.w, c.h, c.w + c.h);
      const ref = runPythonOnBytes(
        SYS_PY,
        `import numpy as np, cv2\nim = np.frombuffer(open(IN,'rb').read(), np.uint8).reshape(ARGS['h'], ARGS['w'])\n` +
          `open(OUT,'wb').write(cv2.createCLAHE(clipLimit=ARGS['clip'], tileGridSize=(ARGS['tiles'], ARGS['tiles'])).apply(im).tobytes())`,
        src,
        c,
      );
      const ours = clahe(src, c.w, c.h, { clipLimit: c.clip, tiles: c.tiles });
      let diff = 0;
      for (let i = 0; i < ours.length; i++) if (ours[i] !== ref[i]) diff++;
      expect(ref.length).toBe(ours.length);
      expect(diff).toBe(0);
    }, 60_000);
  }
});
