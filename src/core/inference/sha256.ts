import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

/** sha256 of a file, streamed (model files can be hundreds of MB). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export function sha256Bytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// Per-process memo of file hashes, keyed by identity and modification stamp: models:list runs on
// every visit to the Models and Report views, and rehashing tens of MB each time kept the report's
// model picker empty for a noticeable moment. A replaced or edited file gets a new key (inode, size
// or mtime change) and is hashed again. File timestamps are coarse (a few ms), so, as git does for
// "racy" index entries, a hash is only reused when the file's mtime was already well in the past
// when it was hashed: an edit within the same timestamp tick can then not hide behind the memo.
const memo = new Map<string, { key: string; sha: Promise<string> }>();
const RACY_MS = 2000;

/** sha256File, remembered while the file's inode, size and mtime stay the same. */
export function sha256FileMemo(file: string, now = Date.now()): Promise<string> {
  const st = statSync(file);
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  const hit = memo.get(file);
  if (hit && hit.key === key) return hit.sha;
  const sha = sha256File(file);
  if (st.mtimeMs < now - RACY_MS) {
    memo.set(file, { key, sha });
    sha.catch(() => memo.delete(file));
  } else memo.delete(file);
  return sha;
}
