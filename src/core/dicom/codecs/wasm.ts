import { createRequire } from 'node:module';

/**
 * The cornerstone WASM codec builds (CharLS, OpenJPEG, libjpeg-turbo). Each Emscripten module compiles its
 * WASM asynchronously; we start that once per process and reuse the module for every frame.
 */
const require = createRequire(import.meta.url);

export interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** An Embind decoder object: input goes into a WASM-heap buffer, output is read back from one. */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  readHeader?(): void;
  getColorSpace?(): number;
  getInterleaveMode?(): number;
  delete(): void;
}

interface CodecModule {
  JpegLSDecoder?: new () => WasmDecoder;
  J2KDecoder?: new () => WasmDecoder;
  JPEGDecoder?: new () => WasmDecoder;
}

export type CodecName = 'charls' | 'openjpeg' | 'libjpeg-turbo';

const MODULE_IDS: Record<CodecName, string> = {
  charls: '@cornerstonejs/codec-charls/decodewasmjs',
  openjpeg: '@cornerstonejs/codec-openjpeg/decodewasmjs',
  'libjpeg-turbo': '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
};

const loading = new Map<CodecName, Promise<CodecModule>>();

/** The initialised codec module (first call compiles the WASM; later calls get the same module). */
export function loadCodec(name: CodecName): Promise<CodecModule> {
  let p = loading.get(name);
  if (!p) {
    const factory = require(MODULE_IDS[name]) as (opts?: object) => Promise<CodecModule>;
    p = factory({ print: () => {}, printErr: () => {} });
    // A failed load should be retried next time, not cached forever.
    p.catch(() => loading.delete(name));
    loading.set(name, p);
  }
  return p;
}

/** Initialise every codec now (e.g. at app start) so the first image opens without the WASM compile delay. */
export async function warmUpCodecs(): Promise<void> {
  await Promise.all((Object.keys(MODULE_IDS) as CodecName[]).map(loadCodec));
}

/**
 * Run one decode: copy the codestream into the WASM heap, decode, copy the output out (the heap view is
 * invalid after the decoder is deleted or memory grows), and always free the decoder.
 */
export function runWasmDecoder(
  Ctor: new () => WasmDecoder,
  data: Uint8Array,
): { info: FrameInfo; output: Uint8Array; interleaveMode?: number } {
  const decoder = new Ctor();
  try {
    decoder.getEncodedBuffer(data.length).set(data);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const output = decoder.getDecodedBuffer().slice();
    const interleaveMode = decoder.getInterleaveMode?.();
    return { info, output, ...(interleaveMode !== undefined ? { interleaveMode } : {}) };
  } finally {
    decoder.delete();
  }
}
