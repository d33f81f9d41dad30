// Typed access to the study database (schema: ../migrations). Every statement uses bound parameters.
export * from './settings';
export * from './patients';
export * from './studies';
export * from './images';
export * from './knees';
export * from './readers';
export * from './gradeEvents';
export * from './referenceLabels';
export * from './importLog';
export { nowIso } from './time';
