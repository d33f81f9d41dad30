// Serving the built renderer (out/renderer) to a browser: only files inside the folder, with the same
// strict Content-Security-Policy the desktop window uses.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/** No remote content, no inline script, no eval; the page may only talk to its own origin. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; " +
  "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

export function serveStatic(root: string | undefined, urlPath: string, res: ServerResponse): void {
  if (!root || !existsSync(root)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() });
    res.end('The renderer is not built: run `npx electron-vite build` first.\n');
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    rel = '/';
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, `.${path.posix.normalize(rel)}`);
  // Refuse anything that resolves outside the renderer folder (../ tricks, absolute paths).
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403, securityHeaders()).end();
    return;
  }
  const target = existsSync(file) && statSync(file).isFile() ? file : path.join(root, 'index.html');
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    ...securityHeaders(),
  });
  createReadStream(target).pipe(res);
}
