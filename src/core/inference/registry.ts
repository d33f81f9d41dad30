// The model registry: every model is a folder holding model.json (its card) and the file the card
// names. Default models ship in resources/models; users add their own to a user folder. A model is
// only usable after its file's sha256 matches the card and (for ONNX) the graph's input and output
// match the card's contract; anything else is refused with the reason.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { CARD_FILE, CardError, isOnnxCard, parseCardText, type ModelCard, type OnnxCard } from './card';
import { readHeadWeights } from './head/head-model';

export { CARD_FILE };
import { OnnxParseError, readOnnxSignature, type OnnxSignature } from './onnx-proto';
import { sha256FileMemo } from './sha256';

const ONNX_FLOAT = 1;

export interface ModelRoots {
  /** Folder of the default models shipped with the app (read-only). */
  defaults: string;
  /** Folder of user-added models (models add|remove act here). */
  user: string;
}

export interface InstalledModel {
  ok: true;
  dir: string;
  source: 'default' | 'user';
  card: ModelCard;
  /** Absolute path of the model file (ONNX, or head weights JSON). */
  file: string;
  /** Set when the ONNX graph fixes its batch dimension (e.g. exported for batch 1): runs never exceed it. */
  maxBatch?: number;
}
export interface RefusedModel {
  ok: false;
  dir: string;
  source: 'default' | 'user';
  name: string;
  reason: string;
  /** True when the card is there but the model file is not (e.g. weights that cannot ship). */
  notInstalled: boolean;
}
export type ModelEntry = InstalledModel | RefusedModel;

export class ModelRefusedError extends Error {
  constructor(
    message: string,
    readonly dir: string,
    readonly fileMissing = false,
  ) {
    super(message);
    this.name = 'ModelRefusedError';
  }
}

/** Compare an ONNX signature with the card; returns the list of mismatches (empty = fine). */
export function signatureMismatches(card: OnnxCard, sig: OnnxSignature): string[] {
  const problems: string[] = [];
  const input = sig.inputs.find((i) => i.name === card.input.name);
  if (!input) {
    problems.push(
      `input '${card.input.name}' named by the card is not in the ONNX graph (graph inputs: ${sig.inputs.map((i) => i.name).join(', ') || 'none'})`,
    );
  } else {
    if (sig.inputs.length !== 1)
      problems.push(`the graph has ${sig.inputs.length} inputs; exactly one is supported`);
    if (input.elemType !== ONNX_FLOAT)
      problems.push(`input '${input.name}' is not float32 (ONNX type ${input.elemType})`);
    const want = [card.input.channels, card.input.size, card.input.size];
    const dims = input.shape;
    if (dims.length !== 4)
      problems.push(`input '${input.name}' has rank ${dims.length}, the card says NCHW (rank 4)`);
    else {
      for (let k = 0; k < 3; k++) {
        const d = dims[k + 1]!;
        if (d.value !== undefined && d.value !== want[k])
          problems.push(`input '${input.name}' dimension ${k + 1} is ${d.value}, the card says ${want[k]}`);
      }
    }
  }
  const output = sig.outputs.find((o) => o.name === card.output.name);
  if (!output) {
    problems.push(
      `output '${card.output.name}' named by the card is not in the ONNX graph (graph outputs: ${sig.outputs.map((o) => o.name).join(', ') || 'none'})`,
    );
  } else {
    const n = card.output.kind === 'logits' ? card.output.classes : card.output.dim;
    const last = output.shape[output.shape.length - 1];
    if (output.shape.length !== 2)
      problems.push(`output '${output.name}' has rank ${output.shape.length}, expected 2 (batch, ${n})`);
    else if (last?.value !== undefined && last.value !== n)
      problems.push(`output '${output.name}' has ${last.value} values per image, the card says ${n}`);
  }
  return problems;
}

/**
 * Load and verify one model folder. Throws ModelRefusedError naming the folder and the reason when
 * the card is missing or invalid, the file is missing, its sha256 differs from the card's, or the
 * ONNX signature does not match the card.
 */
export async function verifyModelDir(
  dir: string,
  source: 'default' | 'user' = 'user',
): Promise<InstalledModel> {
  const cardPath = path.join(dir, CARD_FILE);
  if (!existsSync(cardPath))
    throw new ModelRefusedError(`${dir}: no ${CARD_FILE} (model card) in this folder`, dir);
  let card: ModelCard;
  try {
    card = parseCardText(readFileSync(cardPath, 'utf8'), cardPath);
  } catch (e) {
    if (e instanceof CardError) throw new ModelRefusedError(e.message, dir);
    throw e;
  }
  const file = path.join(dir, card.file);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new ModelRefusedError(
      `${file}: model file named by the card is missing${card.description ? ` (${card.description})` : ''}`,
      dir,
      true,
    );
  const sha = await sha256FileMemo(file);
  if (sha !== card.sha256)
    throw new ModelRefusedError(
      `${file}: sha256 ${sha} differs from the card's ${card.sha256} (file changed or corrupt; refusing to run it)`,
      dir,
    );
  if (isOnnxCard(card)) {
    let sig: OnnxSignature;
    try {
      sig = readOnnxSignature(readFileSync(file));
    } catch (e) {
      if (e instanceof OnnxParseError)
        throw new ModelRefusedError(`${file}: not a readable ONNX model (${e.message})`, dir);
      throw e;
    }
    const problems = signatureMismatches(card, sig);
    if (problems.length)
      throw new ModelRefusedError(`${file}: ONNX graph does not match the card: ${problems.join('; ')}`, dir);
    const batchDim = sig.inputs.find((i) => i.name === card.input.name)?.shape[0]?.value;
    if (batchDim !== undefined && batchDim > 0)
      return { ok: true, dir, source, card, file, maxBatch: batchDim };
  }
  if (card.approach === 'embedding-head') {
    try {
      const w = readHeadWeights(file);
      if (w.inputDim !== card.embeddingModel.dim)
        throw new Error(
          `the head takes ${w.inputDim} values, the card's embedding model gives ${card.embeddingModel.dim}`,
        );
    } catch (e) {
      throw new ModelRefusedError(`${file}: ${(e as Error).message.replace(`${file}: `, '')}`, dir);
    }
  }
  return { ok: true, dir, source, card, file };
}

/** The name a (possibly invalid) card gives itself, for listing refused models by their name. */
function cardName(dir: string): string | undefined {
  try {
    const n = (JSON.parse(readFileSync(path.join(dir, CARD_FILE), 'utf8')) as { name?: unknown }).name;
    return typeof n === 'string' && n ? n : undefined;
  } catch {
    return undefined;
  }
}

function listRoot(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, CARD_FILE)))
    .map((d) => path.join(root, d.name))
    .sort();
}

/** Every model folder under both roots, verified. A user model may not shadow a default's name. */
export async function listModels(roots: ModelRoots): Promise<ModelEntry[]> {
  const out: ModelEntry[] = [];
  const seen = new Set<string>();
  for (const [root, source] of [
    [roots.defaults, 'default'],
    [roots.user, 'user'],
  ] as const) {
    for (const dir of listRoot(root)) {
      try {
        const m = await verifyModelDir(dir, source);
        if (seen.has(m.card.name)) {
          out.push({
            ok: false,
            dir,
            source,
            name: m.card.name,
            reason: `another model is already installed as '${m.card.name}'`,
            notInstalled: false,
          });
          continue;
        }
        seen.add(m.card.name);
        out.push(m);
      } catch (e) {
        if (!(e instanceof ModelRefusedError)) throw e;
        out.push({
          ok: false,
          dir,
          source,
          name: cardName(dir) ?? path.basename(dir),
          reason: e.message,
          notInstalled: e.fileMissing,
        });
      }
    }
  }
  return out;
}

/** The installed (verified) model called `name`; refused or unknown models throw with the reason. */
export async function findModel(roots: ModelRoots, name: string): Promise<InstalledModel> {
  const all = await listModels(roots);
  const hit = all.find((m) => (m.ok ? m.card.name === name : m.name === name));
  if (!hit) {
    const names = all.filter((m): m is InstalledModel => m.ok).map((m) => m.card.name);
    throw new ModelRefusedError(
      `no model named '${name}' is installed (installed: ${names.join(', ') || 'none'})`,
      '',
    );
  }
  if (!hit.ok) throw new ModelRefusedError(hit.reason, hit.dir);
  return hit;
}

/** Verify a folder and copy it into the user models folder under the card's name. */
export async function addModel(roots: ModelRoots, srcDir: string): Promise<InstalledModel> {
  const m = await verifyModelDir(path.resolve(srcDir), 'user');
  const existing = (await listModels(roots)).find((e) => (e.ok ? e.card.name : e.name) === m.card.name);
  if (existing)
    throw new ModelRefusedError(
      `a model named '${m.card.name}' is already installed at ${existing.dir}`,
      srcDir,
    );
  const dest = path.join(roots.user, m.card.name);
  cpSync(srcDir, dest, {
    recursive: true,
    filter: (src) => src === srcDir || [CARD_FILE, m.card.file].includes(path.relative(srcDir, src)),
  });
  // Verify the copy too: a short copy (full disk) must not leave a model that looks installed.
  try {
    return await verifyModelDir(dest, 'user');
  } catch (e) {
    rmSync(dest, { recursive: true, force: true });
    throw e;
  }
}

/** Remove a user-added model folder. Default models cannot be removed. */
export async function removeModel(roots: ModelRoots, name: string): Promise<string> {
  const all = await listModels(roots);
  const hit = all.find((e) => (e.ok ? e.card.name : e.name) === name);
  if (!hit) throw new ModelRefusedError(`no model named '${name}' is installed`, '');
  if (hit.source === 'default')
    throw new ModelRefusedError(
      `'${name}' is a default model shipped with KneeGrade and cannot be removed`,
      hit.dir,
    );
  rmSync(hit.dir, { recursive: true, force: true });
  return hit.dir;
}
