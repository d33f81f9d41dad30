import type { CropRect, Side } from '../db/repositories/knees';
import type { LoadedImage } from '../image/load';
import { localiseKnees } from '../joint';

export interface PlacedKnee {
  side: Side;
  crop: CropRect;
  cropSource: 'auto' | 'whole-image';
}

export interface Placement {
  knees: PlacedKnee[];
  isJointCrop: boolean;
  /** The image's laterality as recorded: from DICOM, from the file name, or B for a bilateral film. */
  laterality: 'L' | 'R' | 'B' | null;
}

/** A raster no larger than this (both sides) and roughly square is a joint crop, not a full film. */
export const JOINT_CROP_MAX_PX = 1024;
/** A film at least this much wider than tall holds both knees when nothing else says so. */
export const BILATERAL_ASPECT = 1.15;

export type RasterKind = 'auto' | 'crop' | 'film';

/**
 * Decide the knees on an image.
 * - Raster joint crops (dataset images such as 224x224 OAI crops): one knee, crop = the whole image.
 * - Full films: bilateral when DICOM laterality says B (or, with no laterality, the film is clearly
 *   landscape), split into the patient's right knee on the viewer's left and left knee on the right;
 *   otherwise one knee whose side comes from the laterality tag or the file name. Each knee's crop comes
 *   from automatic joint localisation.
 * A side that nothing tells is stored as 'R' with the image laterality left empty, so it stays visible
 * that the side was not known.
 */
export function placeKnees(
  img: LoadedImage,
  hints: {
    laterality?: 'L' | 'R' | 'B';
    nameSide?: 'L' | 'R';
    rasterKind?: RasterKind;
    /** False when the image is displayed mirrored (DICOM Patient Orientation row direction toward the patient's right). */
    patientRightOnViewerLeft?: boolean;
  },
): Placement {
  const raster = img.format !== 'dicom';
  const kind = hints.rasterKind ?? 'auto';
  const looksLikeCrop =
    Math.max(img.width, img.height) <= JOINT_CROP_MAX_PX &&
    img.width / img.height < 1.34 &&
    img.height / img.width < 1.34;
  const side = hints.laterality === 'L' || hints.laterality === 'R' ? hints.laterality : hints.nameSide;
  if (raster && (kind === 'crop' || (kind === 'auto' && looksLikeCrop))) {
    return {
      knees: [
        { side: side ?? 'R', crop: { x: 0, y: 0, w: img.width, h: img.height }, cropSource: 'whole-image' },
      ],
      isJointCrop: true,
      laterality: side ?? null,
    };
  }
  const bilateral = hints.laterality === 'B' || (!side && img.width >= BILATERAL_ASPECT * img.height);
  const spacing = img.dicom?.pixelSpacing;
  const locs = localiseKnees(
    { width: img.width, height: img.height, data: img.display8 },
    {
      layout: bilateral ? 'bilateral' : 'single',
      ...(side ? { side } : {}),
      ...(hints.patientRightOnViewerLeft === false ? { patientRightOnViewerLeft: false } : {}),
      ...(spacing ? { spacing: { row: spacing.row, col: spacing.col } } : {}),
    },
  );
  return {
    knees: locs.map((l) => ({ side: l.side, crop: l.crop, cropSource: 'auto' })),
    isJointCrop: false,
    laterality: bilateral ? 'B' : (side ?? null),
  };
}
