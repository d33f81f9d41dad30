export {
  generatePhantoms,
  truthCsv,
  TRUTH_FILE,
  PHANTOM_NOTICE,
  type PhantomFilm,
  type PhantomKneeTruth,
  type PhantomOptions,
} from './generate';
export { writeDicom, EXPLICIT_VR_LE, IMPLICIT_VR_LE, type DicomElement, type Vr } from './dicomWriter';
export { encodeFilmDicom, DX_FOR_PRESENTATION, type FilmHeader } from './filmDicom';
export { featuresForGrade, type KneeOaFeatures } from './grades';
export { Rng } from './rng';
