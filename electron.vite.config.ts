import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// main: Electron main process + the core utility process + the inference worker.
// preload: the named-function bridge. renderer: the React app (also served to Chromium in e2e tests).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'core-process': resolve(__dirname, 'src/main/core-process.ts'),
          'inference-worker': resolve(__dirname, 'src/core/inference/worker.ts'),
        },
      },
    },
  },
  // A sandboxed preload cannot require() anything but 'electron': bundle zod and the contract into it.
  preload: {
    build: {
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
    plugins: [react()],
  },
});
