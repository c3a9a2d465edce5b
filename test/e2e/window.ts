import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator, type ShopSeed } from '../../sim';
import { createApp, type Core } from '../../src/main/app';
import type { CsvFiles } from '../../src/main/desktop/ipc-handlers';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { freePort } from '../sync/world';
import { buildPage } from './build-page';
import { launchChromium } from './chromium';
import { bindCore, type CoreBridge } from './core-bridge';
import { serveStatic, type StaticServer } from './static-server';

/**
 * The real window for the end-to-end tests: the page built and served over http (its CSP as shipped),
 * Debian's Chromium at the window's size, bound to a real core through the IPC gate (core-bridge.ts),
 * and one page whose errors are collected in `problems`. Each test file brings its own core.
 */
export interface WindowUnderTest {
  server: StaticServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  bridge: CoreBridge;
  /** Uncaught page errors and console errors: a test expects none. */
  problems: string[];
  /** Closes the bridge, the browser, the server and the built page (not the core). */
  close(): Promise<void>;
}

export async function openWindow(options: {
  /** Names the build folder (one per test file, so files build in parallel). */
  label: string;
  core: Core;
  /** Stands in for the user's browser during etsy:connect (default: opens nothing). */
  openBrowser?(url: string): Promise<void>;
  /** Stands in for the OS file dialogs (default: every dialog is cancelled). */
  files?: CsvFiles;
}): Promise<WindowUnderTest> {
  const outDir = await buildPage({ label: options.label });
  const server = await serveStatic(outDir);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1120, height: 780 }, colorScheme: 'light' });
  const bridge = await bindCore(context, {
    core: options.core,
    pageOrigin: server.url,
    openBrowser: options.openBrowser ?? (async () => undefined),
    ...(options.files ? { files: options.files } : {}),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return {
    server,
    browser,
    context,
    page,
    bridge,
    problems,
    async close() {
      await bridge.close();
      await browser.close();
      await server.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A page's button in the window's left navigation. */
export function nav(page: Page, label: string) {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: label });
}

/**
 * A new, unconnected core (its own data folder, secrets in memory) and the strict simulator it will
 * connect to through onboarding; the redirect URI is on a free loopback port, so test files never
 * collide on the default 3003.
 */
export async function newCoreAndShop(options: { shop: ShopSeed; label: string }): Promise<{ sim: EtsySimulator; core: Core; close(): Promise<void> }> {
  const sim = await startEtsySimulator({ shop: options.shop, validator: createOpenApiValidator(), acceptAnyLoopbackRedirect: true, strict: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `art-sync-${options.label}-`));
  const core = await createApp({
    dataDir,
    env: { ART_SYNC_ETSY_API_URL: sim.url, ART_SYNC_ETSY_AUTH_URL: sim.url, ART_SYNC_NO_KEYCHAIN: '1' },
    secrets: new MemorySecretStore(),
  });
  core.updateSettings({ redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect` });
  return {
    sim,
    core,
    async close() {
      await core.stop();
      await sim.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
