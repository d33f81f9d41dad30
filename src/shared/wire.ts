// JSON on the wire with binary support: a Uint8Array anywhere in a value travels as {"$bytes": base64}.
// Used by the HTTP bridge (server and client); Electron IPC needs none of it (structured clone keeps
// typed arrays). Browser-safe: btoa/atob exist in browsers and in Node >= 16.

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CHUNK)));
  }
  return btoa(bin);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  // An ArrayBuffer of its own, so 16-bit views of it are aligned.
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { $bytes: bytesToBase64(v) };
    if (ArrayBuffer.isView(v)) {
      const view = v as ArrayBufferView;
      return { $bytes: bytesToBase64(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) };
    }
    return v;
  });
}

export function fromWireJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === '$bytes' && typeof o.$bytes === 'string')
        return base64ToBytes(o.$bytes);
    }
    return v;
  });
}

// ---------------------------------------------------------------------------------------------
// Binary frames: a value holding byte arrays (a film's pixels) travels as
//   [u32 LE: JSON length][JSON, blobs as {"$blob": i}][padding to 8][blob 0][padding][blob 1]...
// so megabytes of pixels are neither base64-encoded nor copied: the client views them in place
// (each blob starts 8-byte aligned, so 16-bit views need no copy).
// ---------------------------------------------------------------------------------------------

export const FRAME_CONTENT_TYPE = 'application/x-kneegrade-frame';

const pad8 = (n: number): number => (n + 7) & ~7;

/** Encode `value` as a frame when it holds byte arrays; null when it holds none (plain JSON is used). */
export function encodeFrame(value: unknown): Uint8Array | null {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      const view = v as ArrayBufferView;
      blobs.push(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      return { $blob: blobs.length - 1, n: view.byteLength };
    }
    return v;
  });
  if (blobs.length === 0) return null;
  const head = new TextEncoder().encode(json);
  let size = pad8(4 + head.length);
  const offsets = blobs.map((b) => {
    const at = size;
    size = pad8(size + b.length);
    return at;
  });
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  blobs.forEach((b, i) => out.set(b, offsets[i]!));
  return out;
}

export function decodeFrame(buf: ArrayBuffer): unknown {
  const n = new DataView(buf).getUint32(0, true);
  const json = new TextDecoder().decode(new Uint8Array(buf, 4, n));
  let at = pad8(4 + n);
  const parsed = JSON.parse(json) as unknown;
  // Blobs are laid out in index order; each placeholder carries its length.
  const lengths = blobLengths(parsed);
  const views = new Map<number, Uint8Array>();
  for (const [i, len] of [...lengths.entries()].sort((a, b) => a[0] - b[0])) {
    views.set(i, new Uint8Array(buf, at, len));
    at = pad8(at + len);
  }
  return revive(parsed, views);
}

/** Blob lengths are carried in the placeholders as {"$blob": i, "n": bytes}. */
function blobLengths(v: unknown, out = new Map<number, number>()): Map<number, number> {
  if (Array.isArray(v)) for (const x of v) blobLengths(x, out);
  else if (v && typeof v === 'object') {
    const o = v as { $blob?: unknown; n?: unknown };
    if (typeof o.$blob === 'number' && typeof o.n === 'number') out.set(o.$blob, o.n);
    else for (const x of Object.values(v)) blobLengths(x, out);
  }
  return out;
}

function revive(v: unknown, views: Map<number, Uint8Array>): unknown {
  if (Array.isArray(v)) return v.map((x) => revive(x, views));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$blob === 'number' && typeof o.n === 'number') return views.get(o.$blob)!;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = revive(x, views);
    return out;
  }
  return v;
}
