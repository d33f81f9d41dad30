// Labelled CSV export (de-identified by default) and its re-import.
export * from './columns';
export {
  exportLabelledCsv,
  exportLabelledCsvWithStats,
  type ExportOptions,
  type ExportResultData,
} from './exportCsv';
export * from './importCsv';
export { studyAndImagePseudonyms } from './pseudonyms';
