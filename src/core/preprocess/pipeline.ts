// The model input, built from a knee's decoded grey pixels exactly as the model card says:
//   crop (joint-centred square) -> area-resample to nativePx -> contrast step (unless the image already
//   had it) -> mirror left knees (if the card asks) -> /scale -> bilinear to size -> (x-mean)/std per
//   channel. This is the TypeScript twin of training/kneegrade_train/preprocess.py (to_input) with the
//   crop and contrast steps of data preparation in front of it.
import type { InputContract } from '../inference/card';
import { bilinearResize } from './bilinear';
import { clahe } from './clahe';
import { cropToNative, mirrorHorizontal, type CropRect, type GreyImage } from './crop';

export interface KneeSource {
  image: GreyImage;
  crop: CropRect;
  side: 'L' | 'R';
  /** What was already done to the pixels before import (images.applied_steps), e.g. ['clahe']. */
  appliedSteps: readonly string[];
}

export interface PreparedInput {
  /** The native-resolution 8-bit crop after contrast and mirroring (what a reader would see). */
  native: Uint8Array;
  nativePx: number;
  /** CHW float32, channels x size x size. */
  tensor: Float32Array;
  /** The steps this call applied, for the record. */
  steps: string[];
}

/** Contrast step of the card applied to a native crop, skipped when the image already had it. */
export function applyContrast(
  native: Uint8Array,
  n: number,
  contract: InputContract,
  appliedSteps: readonly string[],
): { px: Uint8Array; step?: string } {
  const c = contract.contrast;
  if (c.step === 'none') return { px: native };
  if (appliedSteps.includes(c.step)) return { px: native };
  return { px: clahe(native, n, n, { clipLimit: c.clipLimit, tiles: c.tiles }), step: c.step };
}

/** uint8 native crop -> normalised CHW tensor (the to_input half of the contract). */
export function toTensor(native: Uint8Array, nativePx: number, contract: InputContract): Float32Array {
  const { scale, mean, std } = contract.normalisation;
  const scaled = new Float32Array(native.length);
  for (let i = 0; i < native.length; i++) scaled[i] = native[i]! / scale;
  const resized = bilinearResize(scaled, nativePx, nativePx, contract.size, contract.size);
  const plane = contract.size * contract.size;
  const out = new Float32Array(contract.channels * plane);
  for (let c = 0; c < contract.channels; c++) {
    const m = mean[c]!;
    const s = std[c]!;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = (resized[i]! - m) / s;
  }
  return out;
}

export function prepareInput(src: KneeSource, contract: InputContract): PreparedInput {
  const n = contract.crop.nativePx;
  const steps: string[] = ['crop'];
  let px = cropToNative(src.image, src.crop, n);
  const contrast = applyContrast(px, n, contract, src.appliedSteps);
  px = contrast.px;
  if (contrast.step) steps.push(contrast.step);
  if (contract.mirrorLeft && src.side === 'L') {
    px = mirrorHorizontal(px, n, n);
    steps.push('mirror');
  }
  return { native: px, nativePx: n, tensor: toTensor(px, n, contract), steps };
}
