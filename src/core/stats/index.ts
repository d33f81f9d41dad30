// Agreement statistics for ordinal KL grades. Pure: no database, no Electron, no Node APIs.
export * from './ratings';
export * from './confusion';
export * from './agreement';
export * from './fleiss';
export * from './krippendorff';
export * from './pairwise';
export * from './rng';
export * from './bootstrap';
export * from './targets';
export * from './analyse';
