// Which API the renderer talks to: the preload's `window.kneegrade` in Electron; in a plain browser
// (e2e tests, the viewer benchmark) the localhost bridge client; in `vite dev` with `?mock` a mock
// with synthetic films so the UI can be worked on without a core.
import type { KneeGradeApi } from '../../../shared/api';

let chosen: Promise<KneeGradeApi> | null = null;

export function loadApi(): Promise<KneeGradeApi> {
  chosen ??= pick();
  return chosen;
}

async function pick(): Promise<KneeGradeApi> {
  if (window.kneegrade) return window.kneegrade;
  const params = new URLSearchParams(window.location.search);
  if (import.meta.env.DEV && params.has('mock')) {
    const { createMockApi } = await import('./mock');
    return createMockApi();
  }
  const { createBridgeClient } = await import('../../../shared/bridge-client');
  return createBridgeClient();
}
