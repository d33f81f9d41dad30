// What the viewer needs to paint one image. Deliberately independent of how the pixels travel (IPC,
// HTTP bridge, mock): the API layer adapts its payload to this.

/** Stored pixel values of one frame, row-major, plus the linear map from stored value to modality value. */
export interface ViewerPixels {
  width: number;
  height: number;
  /** Uint16/Int16/Uint8 are uploaded as-is (R16UI); Float32 is packed to R16UI when lossless, else R32F. */
  data: Uint16Array | Int16Array | Uint8Array | Float32Array;
  /** modality value = stored * slope + intercept (1 and 0 when `data` already holds modality values). */
  slope: number;
  intercept: number;
  /** Range of the modality values (used for 'full range' and drag sensitivity). */
  min: number;
  max: number;
  /** The DICOM's own windows (Window Center/Width), in modality units. */
  windows: WindowSetting[];
  voiFunction: VoiFunction;
  /** MONOCHROME1 (or presentation LUT INVERSE): display starts inverted. */
  invert: boolean;
}

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface WindowSetting {
  center: number;
  width: number;
  label?: string;
}

/** Axis-aligned rectangle; in image pixel coordinates unless stated otherwise. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Size {
  w: number;
  h: number;
}

/** A pane's camera: `zoom` device pixels per image pixel, (cx, cy) the image point at the pane's centre. */
export interface View {
  zoom: number;
  cx: number;
  cy: number;
}

/** Display settings shared by every pane of one image. */
export interface DisplayState {
  window: WindowSetting;
  invert: boolean;
}

/** One viewport inside the canvas, in device pixels with a top-left origin. */
export interface Pane {
  id: 'film' | 'knee';
  rect: Rect;
  view: View;
}

/** Per-grid-cell importance over the crop (occlusion sensitivity), 0..1, row-major. */
export interface OcclusionMap {
  rows: number;
  cols: number;
  values: ArrayLike<number>;
  /** The crop (image coordinates) the map covers. */
  crop: Rect;
}
