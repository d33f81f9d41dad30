export {
  localiseKnees,
  CROP_SIZE_MM,
  CROP_FRACTION_OF_HEIGHT,
  type JointLocation,
  type LocaliseOptions,
} from './localise';
