// Messages between the inference host (any thread) and the onnxruntime worker thread. Every request
// carries a sequence id; the worker answers it with exactly one 'result' or 'error', optionally
// preceded by 'progress'. Errors cross the thread boundary as plain objects.

export type ProviderRequest = 'auto' | 'cpu' | 'cuda';
export type Provider = 'cpu' | 'cuda';

/** Which ONNX file to run; the worker caches one session per (file, sha256, provider request). */
export interface ModelRef {
  file: string;
  sha256: string;
  inputName: string;
  outputName: string;
}

export interface RunRequest {
  kind: 'run';
  seq: number;
  model: ModelRef;
  provider: ProviderRequest;
  /** NCHW float32, dims[0] images. */
  data: Float32Array;
  dims: [number, number, number, number];
}

export interface OcclusionRequest {
  kind: 'occlusion';
  seq: number;
  model: ModelRef;
  provider: ProviderRequest;
  /** One image, CHW float32. */
  data: Float32Array;
  channels: number;
  size: number;
  /** Patch side and stride in input pixels. */
  patch: number;
  stride: number;
  /** Value the patch is filled with, per channel, in normalised units (the dataset mean = 0). */
  fill: number[];
  batch: number;
}

export interface CancelRequest {
  kind: 'cancel';
  seq: number;
}
export interface WarmRequest {
  kind: 'warm';
  seq: number;
  model: ModelRef;
  provider: ProviderRequest;
}

export type WorkerRequest = RunRequest | OcclusionRequest | CancelRequest | WarmRequest;

export interface RunResult {
  kind: 'result';
  seq: number;
  provider: Provider;
  /** Why a CUDA request fell back to CPU, when it did. */
  fallbackReason?: string;
  data: Float32Array;
  dims: number[];
}
export interface OcclusionResult {
  kind: 'result';
  seq: number;
  provider: Provider;
  fallbackReason?: string;
  /** Softmax of the un-occluded image. */
  probs: number[];
  target: number;
  /** size x size, row-major: mean drop of the target's probability over the patches covering a pixel. */
  map: Float32Array;
  positions: number;
}
export interface ProgressMessage {
  kind: 'progress';
  seq: number;
  done: number;
  total: number;
}
export interface PlainError {
  name: string;
  message: string;
  code?: string;
}
export interface ErrorMessage {
  kind: 'error';
  seq: number;
  error: PlainError;
}
export type WorkerResponse = RunResult | OcclusionResult | ProgressMessage | ErrorMessage;

export function toPlainError(e: unknown, code?: string): PlainError {
  const err = e instanceof Error ? e : new Error(String(e));
  const c = code ?? (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof c === 'string' ? { code: c } : {}) };
}

/** An error that came from the worker, rebuilt on the host side. */
export class InferenceError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'InferenceError';
  }
}

export class CancelledError extends Error {
  readonly code = 'CANCELLED';
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
