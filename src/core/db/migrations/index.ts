import type { Migration } from '../migration';
import { migration0001 } from './0001_initial';

/** Every migration, in order. Append new ones; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [migration0001];
