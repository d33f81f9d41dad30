// Minimal protobuf reader for the parts of an ONNX ModelProto the registry checks: graph inputs and
// outputs (name, element type, shape) and metadata. Reading the signature without creating an
// onnxruntime session keeps `models list` fast and lets a broken file be refused with a clear
// reason instead of a native crash. Field numbers are from onnx/onnx.proto3.

export interface OnnxDim {
  value?: number;
  param?: string;
}
export interface OnnxValueInfo {
  name: string;
  elemType: number; // TensorProto.DataType: 1 = FLOAT
  shape: OnnxDim[];
}
export interface OnnxSignature {
  irVersion: number;
  opsetVersion?: number;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
}

export class OnnxParseError extends Error {}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxParseError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new OnnxParseError('varint too long');
  }
  /** Returns [field, wireType]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }
  bytes(): Reader {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new OnnxParseError('truncated length-delimited field');
    this.pos += len;
    return new Reader(this.buf, start, start + len);
  }
  string(): string {
    const r = this.bytes();
    return new TextDecoder().decode(this.buf.subarray(r.pos, r.end));
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new OnnxParseError(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new OnnxParseError('truncated field');
  }
}

function readDim(r: Reader): OnnxDim {
  const d: OnnxDim = {};
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 0) d.value = r.varint();
    else if (f === 2 && w === 2) d.param = r.string();
    else r.skip(w);
  }
  return d;
}

function readValueInfo(r: Reader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0, shape: [] };
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) v.name = r.string();
    else if (f === 2 && w === 2) {
      const type = r.bytes();
      while (!type.done()) {
        const [tf, tw] = type.tag();
        if (tf === 1 && tw === 2) {
          const tensor = type.bytes();
          while (!tensor.done()) {
            const [ef, ew] = tensor.tag();
            if (ef === 1 && ew === 0) v.elemType = tensor.varint();
            else if (ef === 2 && ew === 2) {
              const shape = tensor.bytes();
              while (!shape.done()) {
                const [sf, sw] = shape.tag();
                if (sf === 1 && sw === 2) v.shape.push(readDim(shape.bytes()));
                else shape.skip(sw);
              }
            } else tensor.skip(ew);
          }
        } else type.skip(tw);
      }
    } else r.skip(w);
  }
  return v;
}

/** Parse the signature of an ONNX model from its bytes. Throws OnnxParseError if it is not ONNX. */
export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  const r = new Reader(bytes);
  const sig: OnnxSignature = { irVersion: 0, inputs: [], outputs: [], metadata: {} };
  let sawGraph = false;
  const initializers = new Set<string>();
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 0) sig.irVersion = r.varint();
    else if (f === 7 && w === 2) {
      sawGraph = true;
      const g = r.bytes();
      while (!g.done()) {
        const [gf, gw] = g.tag();
        if (gf === 11 && gw === 2) sig.inputs.push(readValueInfo(g.bytes()));
        else if (gf === 12 && gw === 2) sig.outputs.push(readValueInfo(g.bytes()));
        else if (gf === 5 && gw === 2) {
          // TensorProto: name is field 8. Old IR versions list initializers among the inputs.
          const t = g.bytes();
          while (!t.done()) {
            const [tf, tw] = t.tag();
            if (tf === 8 && tw === 2) initializers.add(t.string());
            else t.skip(tw);
          }
        } else g.skip(gw);
      }
    } else if (f === 8 && w === 2) {
      const o = r.bytes();
      let domain = '';
      let version: number | undefined;
      while (!o.done()) {
        const [of, ow] = o.tag();
        if (of === 1 && ow === 2) domain = o.string();
        else if (of === 2 && ow === 0) version = o.varint();
        else o.skip(ow);
      }
      if ((domain === '' || domain === 'ai.onnx') && version !== undefined) sig.opsetVersion = version;
    } else if (f === 14 && w === 2) {
      const e = r.bytes();
      let key = '';
      let value = '';
      while (!e.done()) {
        const [ef, ew] = e.tag();
        if (ef === 1 && ew === 2) key = e.string();
        else if (ef === 2 && ew === 2) value = e.string();
        else e.skip(ew);
      }
      sig.metadata[key] = value;
    } else r.skip(w);
  }
  if (!sawGraph || sig.irVersion === 0)
    throw new OnnxParseError('not an ONNX model (no graph or IR version)');
  sig.inputs = sig.inputs.filter((i) => !initializers.has(i.name));
  return sig;
}
