export {
  importPaths,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type ImportedFile,
} from './importFiles';
export { walkPaths } from './walk';
export { nameInfo, folderGrade } from './names';
export {
  placeKnees,
  JOINT_CROP_MAX_PX,
  BILATERAL_ASPECT,
  type Placement,
  type RasterKind,
} from './placeKnees';
export { readLabelsCsv, matchLabelFile, LabelsCsvError, type LabelRow } from './labelsCsv';
export { describeFailure, type ImportFileError } from './errors';
