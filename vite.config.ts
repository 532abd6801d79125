import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The workbench: served by the core in browser mode and loaded from disk by Electron, hence
// relative asset paths (`base: './'`). `perf.html` is the bench's harness (no core needed).
const root = resolve(import.meta.dirname, 'renderer');

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 12_000,
    rollupOptions: {
      input: { index: resolve(root, 'index.html'), perf: resolve(root, 'perf.html') },
      // Rolldown's [PLUGIN_TIMINGS] report (which plugins took the build's time) is for whoever
      // tunes the build, not for someone running `npm start` or the tests.
      checks: { bundlerTimings: false },
    },
  },
  worker: { format: 'es' },
});
