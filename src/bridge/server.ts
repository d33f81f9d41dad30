// The localhost HTTP bridge: the same contract and services as the desktop app, over HTTP, so the
// renderer can run in a plain browser (end-to-end tests without the Electron binary).
//
// Security: listens on 127.0.0.1 only, on a random port; every API call needs the per-run token
// (random 256 bits, compared in constant time); the Host header must name the loopback address
// (defeats DNS rebinding) and a browser Origin must be the bridge's own (no cross-site calls).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dispatch, isServiceChannel } from '../core/services';
import { openServiceHost, type HostOptions, type ServiceHost } from '../core/services/host';
import { TOKEN_HEADER } from '../shared/bridge-client';
import {
  ApiError,
  isChannel,
  parseInput,
  type DialogPaths,
  type DialogSavePath,
  type Envelope,
  type ParsedInput,
} from '../shared/contract';
import { encodeFrame, FRAME_CONTENT_TYPE, fromWireJson, toWireJson } from '../shared/wire';
import { EventQueue } from './events';
import { securityHeaders, serveStatic } from './static';

const MAX_BODY = 16 * 1024 * 1024;
const POLL_MS = 25_000;

/** How the bridge answers the dialog channels (a browser has no native file dialogs). */
export interface BridgeDialogs {
  openPaths?: (input: ParsedInput<'dialogs:openPaths'>) => string[] | null;
  savePath?: (input: ParsedInput<'dialogs:savePath'>) => string | null;
}

export interface BridgeOptions extends Omit<HostOptions, 'transport' | 'onEvent'> {
  /** The built renderer to serve (out/renderer); omit for an API-only bridge. */
  rendererDir?: string;
  /** Fixed port (default: a random free one). */
  port?: number;
  /** Fixed token (default: random per run). */
  token?: string;
  dialogs?: BridgeDialogs;
  /** Log each request's failures here (default: none). */
  log?: (line: string) => void;
}

export interface Bridge {
  url: string;
  /** The page URL with the token, to open in a browser. */
  pageUrl: string;
  token: string;
  port: number;
  host: ServiceHost;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError('INVALID_INPUT', `request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...securityHeaders() });
  res.end(body);
}

function statusOf(code: ApiError['code']): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'FORBIDDEN':
    case 'BLINDED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'WASHOUT':
      return 409;
    case 'UNAVAILABLE':
      return 503;
    case 'CANCELLED':
      return 499;
    default:
      return 500;
  }
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const events = new EventQueue();
  const host = openServiceHost({ ...opts, transport: 'bridge', onEvent: (e, p) => events.push(e, p) });
  const rendererDir = opts.rendererDir ? path.resolve(opts.rendererDir) : undefined;
  let port = 0;
  const closing = new AbortController();

  async function shell(
    channel: 'dialogs:openPaths' | 'dialogs:savePath',
    raw: unknown,
  ): Promise<DialogPaths | DialogSavePath> {
    if (channel === 'dialogs:openPaths') {
      const input = parseInput(channel, raw);
      const paths = opts.dialogs?.openPaths?.(input) ?? null;
      return paths && paths.length ? { canceled: false, paths } : { canceled: true, paths: [] };
    }
    const input = parseInput(channel, raw);
    // A headless bridge saves into its work folder unless the harness decides otherwise.
    const p = opts.dialogs?.savePath
      ? opts.dialogs.savePath(input)
      : path.join(host.ctx.workDir, 'exports', path.basename(input.defaultName));
    return p ? { canceled: false, path: p } : { canceled: true, path: null };
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.pathname.slice('/api/'.length);
    if (name === 'events' && req.method === 'GET') {
      if (!sameSecret(url.searchParams.get('token') ?? '', token))
        return send(res, 401, '{"error":"bad token"}');
      const after = Number(url.searchParams.get('after') ?? '-1');
      const ac = new AbortController();
      const stop = (): void => ac.abort();
      res.on('close', stop);
      closing.signal.addEventListener('abort', stop, { once: true });
      const out = await events
        .poll(Number.isFinite(after) ? after : -1, POLL_MS, ac.signal)
        .finally(() => closing.signal.removeEventListener('abort', stop));
      if (!res.writableEnded) send(res, 200, toWireJson(out));
      return;
    }
    let env: Envelope<unknown>;
    try {
      if (req.method !== 'POST')
        throw new ApiError('INVALID_INPUT', `${req.method} ${url.pathname}: use POST`);
      const t = req.headers[TOKEN_HEADER];
      if (typeof t !== 'string' || !sameSecret(t, token))
        throw new ApiError('FORBIDDEN', 'missing or wrong bridge token');
      if (!isChannel(name)) throw new ApiError('NOT_FOUND', `no channel '${name}'`);
      const text = await readBody(req);
      let raw: unknown;
      try {
        raw = text.trim() === '' ? undefined : fromWireJson(text);
      } catch {
        throw new ApiError('INVALID_INPUT', `${name}: the request body is not JSON`);
      }
      const value =
        name === 'dialogs:openPaths' || name === 'dialogs:savePath'
          ? await shell(name, raw)
          : isServiceChannel(name)
            ? await dispatch(name, raw, host.ctx)
            : (() => {
                throw new ApiError('NOT_FOUND', `no channel '${name}'`);
              })();
      env = { ok: true, value };
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('INTERNAL', (e as Error).message);
      if (err.code === 'INTERNAL') opts.log?.(`[bridge] ${name}: ${err.message}`);
      env = { ok: false, error: err.toBody() };
      return send(res, statusOf(err.code), toWireJson(env));
    }
    // Pixels (and any other bytes) go as a binary frame: no base64, no copy on the client.
    const frame = encodeFrame(env);
    if (frame) {
      res.writeHead(200, {
        'content-type': FRAME_CONTENT_TYPE,
        'content-length': frame.byteLength,
        'cache-control': 'no-store',
        ...securityHeaders(),
      });
      res.end(frame);
      return;
    }
    send(res, 200, toWireJson(env));
  }

  const server = createServer((req, res) => {
    const hostHeader = req.headers.host ?? '';
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host: evil.example.
    if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`)
      return send(res, 421, '{"error":"wrong host"}');
    const origin = req.headers.origin;
    if (
      origin !== undefined &&
      origin !== `http://127.0.0.1:${port}` &&
      origin !== `http://localhost:${port}`
    ) {
      return send(res, 403, '{"error":"cross-origin requests are refused"}');
    }
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url).catch((e: unknown) => {
        opts.log?.(`[bridge] ${(e as Error).message}`);
        if (!res.headersSent) send(res, 500, '{"error":"internal"}');
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '');
    serveStatic(rendererDir, url.pathname, res);
  });

  // Idle keep-alive sockets are closed by the client first (browsers and undici give up after a few
  // seconds): a server closing them at the same moment a request is being sent on one resets it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A client that went away (tab closed, test finished) is not worth a line.
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE')
      opts.log?.(`[bridge] client connection error: ${err.code ?? ''} ${err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pageUrl: `${url}/?token=${token}`,
    token,
    port,
    host,
    close: async () => {
      closing.abort();
      events.wakeAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      host.close();
    },
  };
}
