/**
 * dicom-parser 1.8 predates the OV, SV and UV value representations (DICOM 2019: e.g. the Extended Offset
 * Table (7FE0,0001) is OV). It reads their lengths as 2 bytes instead of 4 and then misparses the rest of the
 * file. Those VRs share UN's header layout (VR, 2 reserved bytes, 4-byte length), so on a copy of the file we
 * relabel them UN at real element positions, found by walking the explicit VR data set, before parsing.
 * Only runs when the byte patterns occur at all, so ordinary files pay one native indexOf per VR.
 */
const NEW_LONG_VRS = ['OV', 'SV', 'UV'];
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function mayContainNewVrs(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return NEW_LONG_VRS.some((vr) => buf.indexOf(`${vr}\0\0`, 0, 'latin1') >= 0);
}

/**
 * Returns bytes with OV/SV/UV relabelled as UN in the explicit VR data set starting at `start`
 * (the same array when nothing needed changing). Stops quietly at anything it does not understand:
 * dicom-parser then reports the problem as it would have anyway.
 */
export function relabelNewVrs(bytes: Uint8Array, start: number, bigEndian: boolean): Uint8Array {
  if (!mayContainNewVrs(bytes)) return bytes;
  let out = bytes;
  const u16 = (p: number) => (bigEndian ? (out[p]! << 8) | out[p + 1]! : out[p]! | (out[p + 1]! << 8));
  const u32 = (p: number) =>
    bigEndian
      ? out[p]! * 0x1000000 + ((out[p + 1]! << 16) | (out[p + 2]! << 8) | out[p + 3]!)
      : (out[p]! | (out[p + 1]! << 8) | (out[p + 2]! << 16)) + out[p + 3]! * 0x1000000;

  /** Walk elements from pos to end (or to a delimiter); returns the position after what was walked. */
  const walk = (pos: number, end: number, depth: number): number => {
    while (pos + 8 <= end) {
      const group = u16(pos);
      const element = u16(pos + 2);
      if (group === 0xfffe) {
        // Item delimiter or sequence delimiter: the caller decides.
        return pos;
      }
      // The file meta group is always little endian; the data set may not be.
      const vr = String.fromCharCode(out[pos + 4]!, out[pos + 5]!);
      if (!/^[A-Z]{2}$/.test(vr)) return end;
      let len: number;
      let header: number;
      if (LONG_VRS.has(vr)) {
        if (NEW_LONG_VRS.includes(vr)) {
          if (out === bytes) out = bytes.slice();
          out[pos + 4] = 0x55; // 'U'
          out[pos + 5] = 0x4e; // 'N'
        }
        len = u32(pos + 8);
        header = 12;
      } else {
        len = u16(pos + 6);
        header = 8;
      }
      pos += header;
      if (len === 0xffffffff) {
        // Undefined length: a sequence (or encapsulated pixel data): walk its items up to the sequence delimiter.
        if (depth > 16) return end;
        while (pos + 8 <= end) {
          const g = u16(pos);
          const e = u16(pos + 2);
          const itemLen = u32(pos + 4);
          pos += 8;
          if (g !== 0xfffe) return end;
          if (e === 0xe0dd) break;
          if (e !== 0xe000) return end;
          const isPixelData = group === 0x7fe0 && element === 0x0010;
          if (isPixelData) pos += itemLen;
          else if (itemLen === 0xffffffff) {
            pos = walk(pos, end, depth + 1);
            pos += 8; // item delimiter
          } else {
            walk(pos, pos + itemLen, depth + 1);
            pos += itemLen;
          }
        }
      } else if (vr === 'SQ') {
        const seqEnd = pos + len;
        while (pos + 8 <= seqEnd) {
          const itemLen = u32(pos + 4);
          pos += 8;
          if (itemLen === 0xffffffff) {
            pos = walk(pos, seqEnd, depth + 1) + 8;
          } else {
            walk(pos, pos + itemLen, depth + 1);
            pos += itemLen;
          }
        }
        pos = seqEnd;
      } else {
        pos += len;
      }
    }
    return pos;
  };
  walk(start, bytes.length, 0);
  return out;
}
