import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { vi } from 'vitest';

/**
 * How long an `expect.poll` in a browser test waits. Vitest's default (1 s) is too short on a
 * 2-CPU machine shared with other work, where Chromium, the core and the simulator all compete; a
 * poll that succeeds returns at once, so a generous ceiling costs nothing when things are fast.
 */
export const E2E_POLL_TIMEOUT_MS = 20_000;
export const E2E_POLL_INTERVAL_MS = 100;

/** Applied to every browser test file that imports this module (reset by vitest after the file). */
vi.setConfig({ expect: { poll: { timeout: E2E_POLL_TIMEOUT_MS, interval: E2E_POLL_INTERVAL_MS } } });

/** Debian's Chromium (apt package `chromium`, installed by .ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** CI=true / CI=1 / any non-empty value but "false" and "0", as CI services set it. */
function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * null when the browser tests can run; otherwise the one-line reason they are skipped. Never skipped
 * in CI (CI=true): there a missing Chromium makes every browser test fail at launch instead.
 */
export const chromiumSkipReason: string | null =
  fs.existsSync(CHROMIUM_PATH) || isCi(process.env.CI)
    ? null
    : `${CHROMIUM_PATH} is absent (apt-get install chromium); browser tests skipped (CI never skips them)`;

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
