import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** What a folder walk found: files to try, and files passed over because they cannot be images. */
export interface WalkResult {
  files: string[];
  skipped: string[];
  /** Paths given that do not exist or cannot be read. */
  missing: { path: string; reason: string }[];
}

// Extensions that are never images: passed over in folders (a file named explicitly is always tried).
const NOT_IMAGES = new Set([
  '.csv',
  '.tsv',
  '.txt',
  '.md',
  '.json',
  '.xml',
  '.html',
  '.htm',
  '.pdf',
  '.zip',
  '.gz',
  '.tar',
  '.py',
  '.js',
  '.ts',
  '.log',
  '.ini',
  '.yaml',
  '.yml',
  '.db',
  '.sqlite',
  '.db-wal',
  '.db-shm',
  '.onnx',
  '.exe',
  '.dll',
  '.so',
]);
// DICOMDIR is a media directory record, not an image; the others are the usual text files shipped with data.
const NOT_IMAGE_NAMES = new Set(['dicomdir', 'thumbs.db', 'desktop.ini']);
const NOT_IMAGE_STEMS = new Set([
  'license',
  'licence',
  'readme',
  'copying',
  'notice',
  'authors',
  'changelog',
  'makefile',
]);

function passOver(name: string): boolean {
  if (name.startsWith('.')) return true;
  if (NOT_IMAGE_NAMES.has(name.toLowerCase())) return true;
  if (NOT_IMAGE_STEMS.has(path.basename(name, path.extname(name)).toLowerCase())) return true;
  return NOT_IMAGES.has(path.extname(name).toLowerCase());
}

/**
 * Expand files and folders (recursively) into the files to import, sorted so runs are reproducible.
 * Folders may hold DICOM files without extension, so everything is tried except hidden files and
 * known non-image types; the decoder decides the rest.
 */
export async function walkPaths(inputs: readonly string[]): Promise<WalkResult> {
  const files = new Set<string>();
  const skipped: string[] = [];
  const missing: { path: string; reason: string }[] = [];
  async function visit(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      missing.push({
        path: dir,
        reason: `cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) await visit(full);
      } else if (e.isFile()) {
        if (passOver(e.name)) skipped.push(full);
        else files.add(full);
      }
    }
  }
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      missing.push({
        path: abs,
        reason: `no such file or folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      });
      continue;
    }
    if (st.isDirectory()) await visit(abs);
    else files.add(abs);
  }
  // A file named explicitly is tried even if a folder walk passed over it.
  return { files: [...files], skipped: skipped.filter((f) => !files.has(f)), missing };
}
