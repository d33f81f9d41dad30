import type { KneeOaFeatures } from './grades';

/**
 * A projection model of one knee in a PA radiograph, in millimetres: `m` runs across the knee with
 * positive values toward the medial side, `d` runs down the leg with 0 at the joint line. Bones are
 * elliptic cylinders, so a ray's path through bone (and the brighter cortex at the edges) follows from
 * the bone's width at that height; the femoral condyles, intercondylar notch, tibial spines, plateau,
 * fibular head and patella give the joint its familiar outline. The grade acts through the joint-space
 * width per compartment, marginal osteophytes, subchondral sclerosis and medial plateau deformity.
 */
export interface KneeGeometry {
  /** Overall size factor (1 = an average adult knee). */
  size: number;
  features: KneeOaFeatures;
}

const smooth = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));
const chord = (halfWidth: number, offset: number): number =>
  halfWidth > Math.abs(offset) ? 2 * Math.sqrt(halfWidth * halfWidth - offset * offset) : 0;

/** Joint-space width at `m`: the lateral width blends into the medial width across the notch. */
function gapAt(g: KneeGeometry, m: number): number {
  const k = g.size;
  const f = g.features;
  return f.gapLateralMm + (f.gapMedialMm - f.gapLateralMm) * smooth((m + 8 * k) / (16 * k));
}

/** The distal femoral outline (the `d` of the condyles' lower edge) at `m`. */
export function femurBottom(g: KneeGeometry, m: number): number {
  const k = g.size;
  const notch = 8 * k * Math.max(0, 1 - (m / (10 * k)) ** 2);
  const am = Math.abs(m);
  const round = am > 28 * k ? (am - 28 * k) ** 2 / (10 * k) : 0;
  return -gapAt(g, m) / 2 - notch - round + medialDepression(g, m);
}

/** KL4 deformity: the medial plateau is depressed and tilted, and the condyle follows it down (varus). */
function medialDepression(g: KneeGeometry, m: number): number {
  return m > 0 ? g.features.deformity * 1.8 * Math.min(1, m / (30 * g.size)) : 0;
}

/** The tibial plateau outline (the `d` of its upper edge) at `m`, with the spines and a sloping rim. */
export function tibiaTop(g: KneeGeometry, m: number): number {
  const k = g.size;
  const am = Math.abs(m);
  const spines = 4.5 * k * Math.max(0, 1 - ((am - 3 * k) / (4 * k)) ** 2);
  const drop = am > 34 * k ? (am - 34 * k) ** 2 / (6 * k) : 0;
  return gapAt(g, m) / 2 - spines + drop + medialDepression(g, m);
}

function femurHalfWidth(k: number, d: number): number {
  if (d < -75 * k) return 14 * k;
  if (d < -22 * k) return 14 * k + 26 * k * smooth((d + 75 * k) / (53 * k));
  return 40 * k;
}

function tibiaHalfWidth(k: number, d: number): number {
  if (d < 28 * k) return 39 * k;
  if (d < 85 * k) return 39 * k - 23 * k * smooth((d - 28 * k) / (57 * k));
  return 16 * k;
}

/** Half-width of the soft tissue of the leg (thigh wider than calf). */
export function legHalfWidth(k: number, d: number): number {
  return (58 + 14 / (1 + Math.exp(d / 50))) * k;
}

// Linear attenuation per mm of path (arbitrary units): soft tissue, cancellous bone, cortex.
const MU_TISSUE = 0.0085;
const MU_BONE = 0.018;
const MU_CORTEX = 0.05;
const DEPTH_RATIO = 0.85; // AP depth / ML width of the bones

function boneAttenuation(halfWidth: number, offset: number, cortex: number): number {
  const outer = chord(halfWidth, offset) * DEPTH_RATIO;
  if (outer === 0) return 0;
  const inner = chord(halfWidth - cortex, offset) * DEPTH_RATIO;
  return MU_BONE * outer + MU_CORTEX * (outer - inner);
}

/** Row-constant quantities, computed once per image row for speed. */
export interface RowTerms {
  d: number;
  femHW: number;
  tibHW: number;
  legHW: number;
  femCortex: number;
  tibCortex: number;
}

export function rowTerms(g: KneeGeometry, d: number): RowTerms {
  const k = g.size;
  return {
    d,
    femHW: femurHalfWidth(k, d),
    tibHW: tibiaHalfWidth(k, d),
    legHW: legHalfWidth(k, d),
    femCortex: (d < -60 * k ? 4.5 : 1.3) * k,
    tibCortex: (d > 70 * k ? 4.5 : 1.3) * k,
  };
}

/** Column-constant quantities: the joint outlines at this `m`. */
export interface ColumnTerms {
  m: number;
  fb: number;
  tt: number;
}

export function columnTerms(g: KneeGeometry, m: number): ColumnTerms {
  return { m, fb: femurBottom(g, m), tt: tibiaTop(g, m) };
}

/** Total attenuation along the ray through (m, d); `u` is the unsigned-direction offset for the tissue. */
export function attenuation(
  g: KneeGeometry,
  spurs: readonly Spur[],
  row: RowTerms,
  col: ColumnTerms,
  u: number,
): number {
  const k = g.size;
  const { d } = row;
  const { m, fb, tt } = col;
  const f = g.features;
  let a = MU_TISSUE * chord(row.legHW, u) * 0.9;
  if (a === 0) return 0;
  const am = Math.abs(m);
  const sclerosisWeight = f.sclerosis * (m > 0 ? 1 : 0.35);

  // Femur, down to the condyles' outline; a dense subchondral plate and (with OA) sclerosis above it.
  if (d <= fb && am <= row.femHW) {
    a += boneAttenuation(row.femHW, m, row.femCortex);
    const depth = fb - d;
    if (depth < 1.2 * k) a += 0.12;
    if (sclerosisWeight > 0 && depth < 7 * k) a += 0.45 * sclerosisWeight * (1 - depth / (7 * k));
  }
  // Tibia from the plateau down, with the same plate and sclerosis below the plateau.
  if (d >= tt && am <= row.tibHW) {
    a += boneAttenuation(row.tibHW, m, row.tibCortex);
    const depth = d - tt;
    if (depth < 1.2 * k) a += 0.12;
    if (sclerosisWeight > 0 && depth < 8 * k) a += 0.45 * sclerosisWeight * (1 - depth / (8 * k));
  }
  // Fibula: lateral, its head just below the plateau, overlapping the tibia's edge.
  if (d > 12 * k) {
    // A rounded head (ellipse) on a narrower shaft.
    const hv = (d - 22 * k) / (10 * k);
    const head = hv < 1 ? 10 * k * Math.sqrt(Math.max(0, 1 - hv * hv)) : 0;
    const shaft = d > 28 * k ? 6 * k : 0;
    a += boneAttenuation(Math.max(head, shaft), m + 33 * k, 1.5 * k);
  }
  // Patella seen through the femur.
  const pu = (m - 2 * k) / (21 * k);
  const pv = (d + 28 * k) / (24 * k);
  const pr = pu * pu + pv * pv;
  if (pr < 1) a += 0.35 * Math.sqrt(1 - pr);
  // Marginal osteophytes: bony spurs pointing outward from the four articular margins.
  if (spurs.length) a += osteophytes(g, spurs, m, d);
  return a;
}

/** A marginal osteophyte: a spur pointing outward from a bone edge at height d0, `len` mm long. */
export interface Spur {
  side: 1 | -1;
  edge: number;
  d0: number;
  len: number;
}

/** The knee's spurs, anchored at the condyles' lower corners and the plateau's rims (computed once per knee). */
export function spursOf(g: KneeGeometry): Spur[] {
  const k = g.size;
  const f = g.features;
  const spurs: Spur[] = [];
  for (const side of [1, -1] as const) {
    const len = side > 0 ? f.osteophyteMedialMm : f.osteophyteLateralMm;
    if (len <= 0) continue;
    const femEdge = 40 * k;
    const tibEdge = 39 * k;
    spurs.push({ side, edge: femEdge, d0: femurBottom(g, side * (femEdge - 2 * k)) + 1.5 * k, len });
    spurs.push({ side, edge: tibEdge, d0: tibiaTop(g, side * (tibEdge - 2 * k)) + 1 * k, len });
  }
  return spurs;
}

function osteophytes(g: KneeGeometry, spurs: readonly Spur[], m: number, d: number): number {
  const k = g.size;
  let a = 0;
  for (const s of spurs) {
    const reach = s.len * Math.max(0, 1 - Math.abs(d - s.d0) / (0.9 * s.len + 0.6 * k));
    const sm = s.side * m;
    // The spur grows out of the bone's margin: its base reaches a few mm into the bone so it stays attached.
    if (reach > 0 && sm >= s.edge - 6 * k && sm <= s.edge + reach) a += 0.3 + 0.15 * Math.min(1, reach / 2);
  }
  return a;
}
