import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run dev` sends API and WebSocket calls: a running `ffe serve` (FFE_API overrides). */
const api = process.env.FFE_API ?? 'http://127.0.0.1:8000';

// The dashboard: built into dist/web (served by `ffe serve` at /), or served by Vite in development
// with /api and /ws proxied to a running server.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The first page's weight is a budget (≤ 250 KB gzip): charts load with the pages that draw them.
    chunkSizeWarningLimit: 400,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
});
