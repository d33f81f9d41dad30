export * from './load';
export * from './png';
export * from './window';
export * from './crop';
export * from './format';
export * from './errors';
