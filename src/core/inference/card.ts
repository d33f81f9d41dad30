// The model card (model.json beside every model): what the file is, how its input must be prepared
// and what it outputs. Validated strictly: a card that does not say exactly how to prepare the
// input cannot be run, because a silently different preprocessing gives plausible-looking but wrong
// grades.
import { z } from 'zod';

export const CARD_SCHEMA_ID = 'kneegrade-model-card/1';
/** The card's file name inside a model folder. */
export const CARD_FILE = 'model.json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (sha256)');

const contrastSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('none') }),
  z.object({
    step: z.literal('clahe'),
    clipLimit: z.number().positive(),
    tiles: z.number().int().min(1).max(64),
  }),
]);

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const inputContractSchema = z.object({
  name: z.string().min(1),
  layout: z.literal('NCHW'),
  dtype: z.literal('float32'),
  channels: z.union([z.literal(1), z.literal(3)]),
  size: z.number().int().min(8).max(1024),
  crop: z.object({
    kind: z.literal('joint-centred-square'),
    /** Physical side of the crop when the pixel spacing is known. */
    sizeMm: z.number().positive(),
    /** The crop is first area-resampled to this many pixels (the size the training crops had). */
    nativePx: z.number().int().min(8).max(2048),
  }),
  resize: z.literal('area-to-native-then-bilinear'),
  contrast: contrastSchema,
  normalisation: z.object({
    scale: z.number().positive(),
    mean: triple,
    std: triple.refine((s) => s.every((v) => v > 0), 'std values must be > 0'),
  }),
  /** Mirror left knees so every knee looks like a right knee (only if the model was trained so). */
  mirrorLeft: z.boolean(),
});

const perGradeSchema = z.object({
  grade: z.number().int().min(0).max(4),
  // null: undefined for this grade (e.g. precision of a grade the model never predicted)
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  support: z.number().int().nonnegative(),
});

const validationSchema = z
  .object({
    split: z.string(),
    n: z.number().int().nonnegative(),
    qwk: z.number(),
    linearKappa: z.number().optional(),
    exactAccuracy: z.number().optional(),
    adjacentAccuracy: z.number().optional(),
    mae: z.number().optional(),
    perGrade: z.array(perGradeSchema).optional(),
    confusion: z.array(z.array(z.number())).optional(),
  })
  .loose();

const trainingSchema = z
  .object({
    data: z.string(),
    licence: z.string().optional(),
    attribution: z.string().optional(),
    command: z.string().optional(),
    seed: z.number().int().optional(),
    commit: z.string().optional(),
  })
  .loose();

const common = {
  schema: z.literal(CARD_SCHEMA_ID),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 chars of a-z 0-9 . _ - (it names a folder)'),
  version: z.string().min(1),
  architecture: z.string().min(1),
  file: z
    .string()
    .min(1)
    .refine(
      (f) => !f.includes('/') && !f.includes('\\') && f !== '..',
      'must be a file name inside the model folder',
    ),
  sha256: sha256Hex,
  training: trainingSchema,
  validation: validationSchema.optional(),
  description: z.string().optional(),
};

export const endToEndCardSchema = z.object({
  ...common,
  approach: z.literal('end-to-end'),
  input: inputContractSchema,
  output: z.object({ name: z.string().min(1), kind: z.literal('logits'), classes: z.literal(5) }),
  tta: z.array(z.literal('hflip')).default([]),
});

export const embeddingCardSchema = z.object({
  ...common,
  approach: z.literal('embedding'),
  input: inputContractSchema,
  output: z.object({
    name: z.string().min(1),
    kind: z.literal('embedding'),
    dim: z.number().int().min(1).max(65536),
  }),
  tta: z.array(z.literal('hflip')).default([]),
});

/**
 * A classifier head trained inside KneeGrade on one embedding model's vectors. Its file is a JSON
 * weight file (not ONNX): it runs in TypeScript on stored embeddings, never on pixels.
 */
export const headCardSchema = z.object({
  ...common,
  approach: z.literal('embedding-head'),
  embeddingModel: z.object({
    name: z.string(),
    version: z.string(),
    sha256: sha256Hex,
    dim: z.number().int().min(1),
  }),
  output: z.object({ name: z.literal('probs'), kind: z.literal('probs'), classes: z.literal(5) }),
});

export const modelCardSchema = z.discriminatedUnion('approach', [
  endToEndCardSchema,
  embeddingCardSchema,
  headCardSchema,
]);

export type ModelCard = z.infer<typeof modelCardSchema>;
export type OnnxCard = z.infer<typeof endToEndCardSchema> | z.infer<typeof embeddingCardSchema>;
export type EndToEndCard = z.infer<typeof endToEndCardSchema>;
export type EmbeddingCard = z.infer<typeof embeddingCardSchema>;
export type HeadCard = z.infer<typeof headCardSchema>;
export type InputContract = z.infer<typeof inputContractSchema>;

export class CardError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'CardError';
  }
}

/** Parse and validate a card; the error names the file and every field that is wrong. */
export function parseCard(json: unknown, file: string): ModelCard {
  const res = modelCardSchema.safeParse(json);
  if (!res.success) {
    const issues = res.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CardError(`${file}: invalid model card: ${issues}`, file);
  }
  return res.data;
}

export function parseCardText(text: string, file: string): ModelCard {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CardError(`${file}: model card is not valid JSON (${(e as Error).message})`, file);
  }
  return parseCard(json, file);
}

export function isOnnxCard(card: ModelCard): card is OnnxCard {
  return card.approach === 'end-to-end' || card.approach === 'embedding';
}
