import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt package `chromium`, installed by .ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** null when the browser tests can run; otherwise the one-line reason they are skipped. */
export const chromiumSkipReason: string | null = fs.existsSync(CHROMIUM_PATH)
  ? null
  : `${CHROMIUM_PATH} is absent (apt-get install chromium); browser tests skipped`;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-artifacts/screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
