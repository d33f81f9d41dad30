/**
 * Huffman tables and the entropy-coded-segment bit reader shared by KneeGrade's own JPEG decoders (12-bit
 * DCT and lossless). ITU T.81 Annex C/F: codes are canonical, built from 16 code-length counts.
 */
export interface HuffmanTable {
  /** Largest code of each length 1..16, -1 when none. */
  maxCode: Int32Array;
  /** Index into `values` of the first code of each length, minus that code. */
  valPtr: Int32Array;
  values: Uint8Array;
  /** Fast path: for the next 9 bits, (length << 8) | symbol, or 0 when the code is longer. */
  lookup: Uint16Array;
}

export const LOOKUP_BITS = 9;
const MASKS = Int32Array.from({ length: 33 }, (_, n) => (n >= 32 ? -1 : (1 << n) - 1));

export function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(18);
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    valPtr[len] = k - code;
    for (let i = 0; i < n; i++) {
      if (len <= LOOKUP_BITS) {
        const shift = LOOKUP_BITS - len;
        const base = code << shift;
        for (let j = 0; j < 1 << shift; j++) lookup[base + j] = (len << 8) | values[k]!;
      }
      code++;
      k++;
    }
    maxCode[len] = n > 0 ? code - 1 : -1;
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel: a code longer than 16 bits is an error
  return { maxCode, valPtr, values, lookup };
}

export class MarkerFound extends Error {}

/** Reads bits from an entropy-coded segment, undoing 0xFF00 byte stuffing and stopping at markers. */
export class BitReader {
  private acc = 0;
  private bits = 0;
  /** Set when a marker (other than stuffing) was reached; reads then return zero bits, as libjpeg does. */
  marker = -1;
  /**
   * Zero bytes supplied past a marker or the end of the data. Look-ahead can legitimately pad up to 4 bytes at
   * the end of a complete scan; more means the entropy-coded data ended early (see assertComplete).
   */
  padded = 0;

  constructor(
    private readonly data: Uint8Array,
    public pos: number,
  ) {}

  private fill(): void {
    while (this.bits <= 24) {
      let byte = 0;
      if (this.marker >= 0 || this.pos >= this.data.length) this.padded++;
      else {
        byte = this.data[this.pos]!;
        if (byte === 0xff) {
          const next = this.data[this.pos + 1] ?? 0;
          if (next === 0) {
            this.pos += 2;
          } else {
            this.marker = next;
            byte = 0;
            this.padded++;
          }
        } else {
          this.pos++;
        }
      }
      this.acc = (this.acc << 8) | byte;
      this.bits += 8;
    }
  }

  peek(n: number): number {
    if (this.bits < n) this.fill();
    return (this.acc >>> (this.bits - n)) & MASKS[n]!;
  }

  skip(n: number): void {
    // Bits above `bits` are stale but peek masks them off, and fill shifts them out.
    this.bits -= n;
  }

  read(n: number): number {
    if (n === 0) return 0;
    const v = this.peek(n);
    this.skip(n);
    return v;
  }

  decode(t: HuffmanTable): number {
    const look = t.lookup[this.peek(LOOKUP_BITS)]!;
    if (look !== 0) {
      this.skip(look >> 8);
      return look & 0xff;
    }
    let len = LOOKUP_BITS + 1;
    let code = this.peek(len);
    while (code > t.maxCode[len]!) {
      len++;
      if (len > 16) throw new Error('bad Huffman code');
      code = this.peek(len);
    }
    this.skip(len);
    return t.values[code + t.valPtr[len]!]!;
  }

  /** Value of an s-bit magnitude category (T.81 F.2.2.1 EXTEND). */
  receiveExtend(s: number): number {
    if (s === 0) return 0;
    if (s === 16) return 32768; // lossless: category 16 carries no extra bits
    const v = this.read(s);
    return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
  }

  /** At a restart interval: drop buffered bits and step over the RSTn marker. */
  restart(): void {
    this.assertComplete();
    this.acc = 0;
    this.bits = 0;
    this.padded = 0;
    if (this.marker >= 0xd0 && this.marker <= 0xd7) {
      this.pos += 2;
      this.marker = -1;
      return;
    }
    // Marker not seen yet (e.g. padding): search forward for it.
    while (this.pos + 1 < this.data.length) {
      if (this.data[this.pos] === 0xff) {
        const m = this.data[this.pos + 1]!;
        if (m >= 0xd0 && m <= 0xd7) {
          this.pos += 2;
          this.marker = -1;
          return;
        }
        if (m !== 0 && m !== 0xff) return;
      }
      this.pos++;
    }
  }

  /** Throw when decoding needed more bits than the segment held (truncated or corrupt data). */
  assertComplete(): void {
    if (this.padded > 4)
      throw new Error('the entropy-coded data ends before the image is complete (truncated or corrupt JPEG)');
  }

  /** Byte position after the entropy-coded data (at the next marker). */
  endPosition(): number {
    let p = this.pos;
    while (
      p + 1 < this.data.length &&
      !(this.data[p] === 0xff && this.data[p + 1] !== 0 && this.data[p + 1] !== 0xff)
    )
      p++;
    return p;
  }
}
