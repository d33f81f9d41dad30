// The comparison report: from the database or a long-format CSV to a typed Report, and its renderers.
export * from './types';
export * from './reference';
export * from './studyData';
export * from './studyTable';
export * from './format';
export * from './build';
export * from './fromDb';
export * from './longCsv';
export * from './effectiveGrades';
export { renderText, alignTable } from './render/text';
export { renderTidyCsv, renderStudyTableCsv, TIDY_HEADER } from './render/csv';
export { renderJson } from './render/json';
export { renderHtml, escapeHtml } from './render/html';
