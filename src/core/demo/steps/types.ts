import type { Db } from '../../db/connection';

/** What the demo steps share: the open database, where files go, and how to report. */
export interface DemoContext {
  db: Db;
  dbPath: string;
  /** Folder for files the demo makes (phantom DICOMs, reports). */
  workDir: string;
  count: number;
  seed: number;
  /** Phantom pixel scale (1 = full size); smaller is faster, same anatomy. */
  scale?: number;
  /** Human-readable progress lines (the CLI prints them; --json collects them). */
  log: (line: string) => void;
  /** Progress of long work inside a step. */
  progress?: (label: string, done: number, total: number) => void;
  /** Results steps publish for later steps and for --json output, keyed by step name. */
  results: Record<string, unknown>;
}

/** One step of `kneegrade demo`. Steps run in order; a step may read earlier steps' `results`. */
export interface DemoStep {
  name: string;
  description: string;
  run(ctx: DemoContext): Promise<void>;
}
