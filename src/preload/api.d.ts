// What the preload exposes to the renderer. Absent when the renderer runs in a plain browser (the
// e2e harness); then the renderer uses `createBridgeClient()` from src/shared/bridge-client.ts.
import type { KneeGradeApi } from '../shared/api';

declare global {
  interface Window {
    kneegrade?: KneeGradeApi;
  }
}

export {};
