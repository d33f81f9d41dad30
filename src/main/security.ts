// Hardening of the renderer's web contents: no navigation away from the app, no new windows, no
// webviews, no permission grants (camera, notifications, ...), and a strict CSP on every response.
import { session, shell, type WebContents } from 'electron';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; " +
  "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/** `electron-vite dev` only: Vite's HMR client and React-refresh preamble need an inline script and a websocket. */
const DEV_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
  "connect-src 'self'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
);

export function hardenSession(dev = false): void {
  const s = session.defaultSession;
  const csp = dev ? DEV_CSP : CSP;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // Offline tool: nothing may leave the machine.
  s.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url;
    const local =
      u.startsWith('app://kneegrade/') ||
      u.startsWith('devtools:') ||
      u.startsWith('data:') ||
      u.startsWith('blob:') ||
      (dev && /^(https?|wss?):\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(u));
    callback({ cancel: !local });
  });
}

export function hardenContents(wc: WebContents, isAppUrl: (url: string) => boolean): void {
  wc.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never in the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
