// A trained head on disk: head.json (weights + standardisation) beside its model card, in the user
// models folder, so it is listed, verified (sha256) and removed like any other model.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CARD_FILE, CARD_SCHEMA_ID, type HeadCard } from '../card';
import { sha256Bytes } from '../sha256';
import type { MlpWeights } from './mlp';

export const HEAD_FILE = 'head.json';
export const HEAD_FORMAT = 'kneegrade-mlp-head/1';

const weightsSchema = z.object({
  format: z.literal(HEAD_FORMAT),
  weights: z.object({
    inputDim: z.number().int().positive(),
    hidden: z.number().int().positive(),
    mean: z.array(z.number()),
    std: z.array(z.number()),
    w1: z.array(z.number()),
    b1: z.array(z.number()),
    w2: z.array(z.number()),
    b2: z.array(z.number()),
  }),
});

export function readHeadWeights(file: string): MlpWeights {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable head weight file (${(e as Error).message})`);
  }
  const r = weightsSchema.safeParse(json);
  if (!r.success)
    throw new Error(
      `${file}: invalid head weight file: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const w = r.data.weights;
  if (w.w1.length !== w.inputDim * w.hidden || w.w2.length !== 5 * w.hidden || w.mean.length !== w.inputDim)
    throw new Error(
      `${file}: head weight shapes do not agree with inputDim ${w.inputDim} / hidden ${w.hidden}`,
    );
  return w;
}

/** Write head.json + model.json atomically (a temp folder renamed into place); returns the card. */
export function writeHeadModel(
  dir: string,
  card: Omit<HeadCard, 'sha256' | 'file' | 'schema'>,
  weights: MlpWeights,
): HeadCard {
  const text = JSON.stringify({ format: HEAD_FORMAT, weights });
  const full: HeadCard = {
    schema: CARD_SCHEMA_ID,
    ...card,
    file: HEAD_FILE,
    sha256: sha256Bytes(text),
  } as HeadCard;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(path.join(tmp, HEAD_FILE), text);
  writeFileSync(path.join(tmp, CARD_FILE), `${JSON.stringify(full, null, 2)}\n`);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return full;
}
