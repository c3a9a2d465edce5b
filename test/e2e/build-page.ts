import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './chromium';

/**
 * Builds a page with the project's Vite config into a temporary folder: the app itself (root
 * src/renderer) or a test page (another root, e.g. the component fixtures). Returns the out folder.
 */
export async function buildPage(options: { root?: string; label: string }): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), `art-sync-${options.label}-`));
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build; the window
  // under test must be the production bundle the app ships.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(REPO_ROOT, 'vite.config.ts'),
      ...(options.root ? { root: options.root } : {}),
      mode: 'production',
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    process.env.NODE_ENV = previous;
  }
  return outDir;
}
