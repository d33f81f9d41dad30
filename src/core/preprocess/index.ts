export { areaResize, type Box } from './area-resize';
export { bilinearResize } from './bilinear';
export { clahe, type ClaheOptions } from './clahe';
export { cropToNative, mirrorHorizontal, mirrorTensor, type CropRect, type GreyImage } from './crop';
export { applyContrast, prepareInput, toTensor, type KneeSource, type PreparedInput } from './pipeline';
