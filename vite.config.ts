import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The renderer is loaded from file:// inside Electron, so asset URLs are relative (base './').
// Nothing is inlined as a data: URL and no inline script is injected, so the page's strict CSP
// (default-src 'self', no unsafe-inline) holds for the built output.
export default defineConfig({
  root: path.join(here, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome140',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
