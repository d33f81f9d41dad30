import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import sharp from 'sharp';
import { getImage, getKnee } from '../../core/db/repositories';
import { cropGrey, displayWithWindow, encodePng8, loadImage, type Window } from '../../core/image';
import { CliError, EXIT, type GlobalOptions } from '../context';
import { openExisting } from './import';

interface RenderOptions {
  knee?: string;
  image?: string;
  file?: string;
  out: string;
  window?: string;
  invert?: boolean;
  size?: string;
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${name} must be a positive integer, got "${v}"`, EXIT.USAGE);
  return n;
}

/** "center,width" (or center/width), e.g. "2000,4000". */
export function parseWindow(v: string): Window {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,/]\s*(\d+(?:\.\d+)?)\s*$/.exec(v);
  if (!m || !(Number(m[2]) >= 1))
    throw new CliError(`--window must be CENTER,WIDTH with WIDTH >= 1, got "${v}"`, EXIT.USAGE);
  return { center: Number(m[1]), width: Number(m[2]) };
}

export function register(program: Command): void {
  program
    .command('render')
    .description('render an image, or one knee (its current crop), to an 8-bit greyscale PNG to look at')
    .option('--knee <id>', 'a knee from the database: its current crop')
    .option('--image <id>', 'a whole image from the database')
    .option('--file <path>', 'an image file (DICOM, PNG, JPEG, WebP), no database needed')
    .requiredOption('-o, --out <png>', 'PNG file to write')
    .option(
      '--window <center,width>',
      'display window in stored/modality values (default: the image’s own window)',
    )
    .option('--invert', 'invert the display (after windowing)')
    .option('--size <px>', 'resize so the longer side is this many pixels')
    .action(async (o: RenderOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const given = [o.knee, o.image, o.file].filter((x) => x !== undefined).length;
      if (given !== 1) throw new CliError('give exactly one of --knee, --image or --file', EXIT.USAGE);
      const win = o.window ? parseWindow(o.window) : undefined;
      const size = o.size ? positiveInt('--size', o.size) : undefined;

      let file: string;
      let crop: { x: number; y: number; w: number; h: number } | undefined;
      let what: string;
      if (o.file) {
        file = o.file;
        what = file;
      } else {
        const db = openExisting(globals);
        try {
          if (o.knee) {
            const id = positiveInt('--knee', o.knee);
            const knee = getKnee(db, id);
            if (!knee) throw new CliError(`no knee ${id} in the database`);
            file = knee.image.path;
            crop = knee.crop;
            what = `knee ${id} (${knee.side}, ${knee.crop.source} crop)`;
          } else {
            const id = positiveInt('--image', o.image!);
            const image = getImage(db, id);
            if (!image) throw new CliError(`no image ${id} in the database`);
            file = image.path;
            what = `image ${id}`;
          }
        } finally {
          db.close();
        }
      }
      let img;
      try {
        img = await loadImage(file);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const display = displayWithWindow(img, win, o.invert ? true : undefined);
      let out = { width: img.width, height: img.height, data: display };
      if (crop) out = cropGrey(out, crop);
      let png: Buffer;
      if (size && Math.max(out.width, out.height) !== size) {
        const scale = size / Math.max(out.width, out.height);
        png = await sharp(Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength), {
          raw: { width: out.width, height: out.height, channels: 1 },
        })
          .resize(Math.max(1, Math.round(out.width * scale)), Math.max(1, Math.round(out.height * scale)), {
            kernel: 'lanczos3',
          })
          .toColourspace('b-w')
          .png()
          .toBuffer();
      } else png = encodePng8(out.width, out.height, out.data);
      await writeFile(o.out, png);
      const meta = await sharp(png).metadata();
      if (globals.json)
        process.stdout.write(
          `${JSON.stringify({ out: o.out, width: meta.width, height: meta.height, source: what, window: win ?? null })}\n`,
        );
      else
        process.stdout.write(
          `wrote ${o.out}: ${what}, ${meta.width}x${meta.height}${win ? `, window ${win.center}/${win.width}` : ''}\n`,
        );
    });
}
