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
  await build({
    configFile: path.join(REPO_ROOT, 'vite.config.ts'),
    ...(options.root ? { root: options.root } : {}),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}
