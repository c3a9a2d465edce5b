// The folder boundaries of docs/STYLE.md are enforced by eslint.config.js; these cases prove the rules
// fire (and do not fire) where they should, so a boundary violation fails `npm test`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Lints `code` as if it lived at `file` and returns the ids of the boundary rules that fired. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  if (!result) throw new Error('ESLint returned no result');
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`parse error: ${fatal.map((m) => m.message).join('; ')}`);
  // One import can match two patterns of a rule (e.g. a climb and an absolute path): the rule fired once.
  const ids = result.messages
    .filter((m) => m.severity === 2)
    .map((m) => m.ruleId ?? 'unknown')
    .filter((id) => /restricted/.test(id));
  return [...new Set(ids)];
}

describe('electron only at runtime in shell, preload and index.ts', () => {
  it('rejects a runtime electron import in src/main/store', async () => {
    expect(await boundaryErrors('src/main/store/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      '@typescript-eslint/no-restricted-imports',
    ]);
  });

  it('allows a type-only electron import in src/main/store', async () => {
    expect(
      await boundaryErrors('src/main/store/x.ts', "import type { App } from 'electron';\nexport type A = App;\n"),
    ).toEqual([]);
  });

  it('rejects a dynamic import or require of electron in src/main/sync', async () => {
    expect(
      await boundaryErrors('src/main/sync/x.ts', "export const load = () => import('electron');\n"),
    ).toEqual(['no-restricted-syntax']);
    expect(
      await boundaryErrors('src/main/sync/x.ts', "declare const require: (id: string) => unknown;\nexport const e = require('electron');\n"),
    ).toEqual(['no-restricted-syntax']);
  });

  it('allows runtime electron in src/main/shell, src/main/preload and src/main/index.ts', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await boundaryErrors('src/main/shell/tray.ts', code)).toEqual([]);
    expect(await boundaryErrors('src/main/preload/index.ts', code)).toEqual([]);
    expect(await boundaryErrors('src/main/index.ts', code)).toEqual([]);
  });
});

describe('src/shared is pure TypeScript', () => {
  it.each([
    "import fs from 'node:fs';\nexport const f = fs;\n",
    "import { join } from 'path';\nexport const j = join;\n",
    "import { readFile } from 'fs/promises';\nexport const r = readFile;\n",
    "import type { App } from 'electron';\nexport type A = App;\n",
    "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;\n",
    "import { openStore } from '../main/store/open-store';\nexport const o = openStore;\n",
    "import { App } from '../renderer/app';\nexport const a = App;\n",
  ])('rejects %j', async (code) => {
    expect(await boundaryErrors('src/shared/x.ts', code)).toEqual(['@typescript-eslint/no-restricted-imports']);
  });

  it.each(['window.alert(1);\n', 'export const t = document.title;\n', 'export const l = localStorage;\n', 'export const e = process.env;\n'])(
    'rejects the DOM/Node global in %j',
    async (code) => {
      expect(await boundaryErrors('src/shared/x.ts', code)).toEqual(['no-restricted-globals']);
    },
  );

  it('allows zod and sibling shared modules', async () => {
    expect(
      await boundaryErrors('src/shared/x.ts', "import { z } from 'zod';\nimport { AppError } from './errors';\nexport const s = [z, AppError];\n"),
    ).toEqual([]);
  });
});

describe('src/renderer never imports the main process', () => {
  it.each([
    "import { openStore } from '../main/store/open-store';\nexport const o = openStore;\n",
    "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
    "import fs from 'node:fs';\nexport const f = fs;\n",
  ])('rejects %j in src/renderer/x.ts', async (code) => {
    expect(await boundaryErrors('src/renderer/x.ts', code)).toEqual(['@typescript-eslint/no-restricted-imports']);
  });

  it('rejects a deeper relative climb into src/main', async () => {
    expect(
      await boundaryErrors('src/renderer/pages/status.tsx', "import { openStore } from '../../main/store/open-store';\nexport const o = openStore;\n"),
    ).toEqual(['@typescript-eslint/no-restricted-imports']);
  });

  it('allows src/shared and React', async () => {
    expect(
      await boundaryErrors(
        'src/renderer/pages/status.tsx',
        "import { useState } from 'react';\nimport { AppError } from '../../shared/errors';\nexport const s = [useState, AppError];\n",
      ),
    ).toEqual([]);
  });
});

const IMPORTS = '@typescript-eslint/no-restricted-imports';

describe('the store imports neither the sync engine nor the Etsy client', () => {
  it.each([
    "import type { PulledListing } from '../sync/mirror-types';\nexport type L = PulledListing;\n",
    "import { productKeyOf } from '../sync/product-key';\nexport const k = productKeyOf;\n",
    "import { SyncEngine } from '../sync/sync-engine';\nexport const e = SyncEngine;\n",
    "import type { ListingInventory } from '../etsy/schemas';\nexport type I = ListingInventory;\n",
    "import { inventoryProductKey } from '../etsy/inventory-body';\nexport const k = inventoryProductKey;\n",
    "import { ServerLink } from '../server/server-link';\nexport const s = ServerLink;\n",
    "import { createApp } from '../app';\nexport const c = createApp;\n",
    "import { openStore } from '../../src/main/sync/x';\nexport const o = openStore;\n",
  ])('rejects %j in src/main/store', async (code) => {
    expect(await boundaryErrors('src/main/store/x-repo.ts', code)).toEqual([IMPORTS]);
  });

  it('allows src/shared, better-sqlite3, drizzle and sibling store modules', async () => {
    expect(
      await boundaryErrors(
        'src/main/store/x-repo.ts',
        "import type Database from 'better-sqlite3';\nimport { eq } from 'drizzle-orm';\nimport type { PulledListing } from '../../shared/mirror-types';\nimport { productKeyOf } from '../../shared/product-key';\nimport { catalogVariants } from './schema';\nexport type D = [Database.Database, PulledListing];\nexport const a = [eq, productKeyOf, catalogVariants];\n",
      ),
    ).toEqual([]);
  });
});

describe('the planner (src/main/sync/plan) imports no store, Etsy client, sync engine or I/O', () => {
  it.each([
    "import type { CatalogRepo } from '../../store/catalog-repo';\nexport type C = CatalogRepo;\n",
    "import { MirrorRepo } from '../../store/mirror-repo';\nexport const m = MirrorRepo;\n",
    "import type { ListingInventory } from '../../etsy/schemas';\nexport type I = ListingInventory;\n",
    "import { buildInventoryBody } from '../../etsy/inventory-body';\nexport const b = buildInventoryBody;\n",
    "import type { SyncContext } from '../sync-context';\nexport type S = SyncContext;\n",
    "import fs from 'node:fs';\nexport const f = fs;\n",
    "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n",
    "import Database from 'better-sqlite3';\nexport const d = Database;\n",
    "import { eq } from 'drizzle-orm';\nexport const e = eq;\n",
    "import pg from 'pg';\nexport const p = pg;\n",
    "import { parseCatalogCsv } from '../../catalog/csv';\nexport const p = parseCatalogCsv;\n",
  ])('rejects %j in src/main/sync/plan', async (code) => {
    expect(await boundaryErrors('src/main/sync/plan/x.ts', code)).toEqual([IMPORTS]);
  });

  it('rejects a dynamic import of a Node built-in', async () => {
    expect(await boundaryErrors('src/main/sync/plan/x.ts', "export const load = () => import('node:fs');\n")).toEqual([
      'no-restricted-syntax',
    ]);
  });

  it('allows its own folder, src/shared and catalog/money', async () => {
    expect(
      await boundaryErrors(
        'src/main/sync/plan/x.ts',
        "import type { PlanReason } from '../../../shared/plan';\nimport type { PropertyValue } from '../../../shared/mirror-types';\nimport { formatPrice } from '../../catalog/money';\nimport { mergeSku } from './merge-sku';\nexport type T = [PlanReason, PropertyValue];\nexport const a = [formatPrice, mergeSku];\n",
      ),
    ).toEqual([]);
  });
});

describe('only src/main/shell and src/main/index.ts import src/main/shell', () => {
  it.each([
    ['src/main/desktop/ipc-handlers.ts', "import { isTrustedExternalUrl } from '../shell/trusted-url';\nexport const t = isTrustedExternalUrl;\n"],
    ['src/main/app.ts', "import { startDesktopShell } from './shell/desktop-shell';\nexport const s = startDesktopShell;\n"],
    ['src/main/cli/status.ts', "import type { TrayState } from '../shell/tray';\nexport type T = TrayState;\n"],
    ['src/main/preload/index.ts', "import { renderTray } from '../shell/tray';\nexport const r = renderTray;\n"],
    ['src/main/sync/plan/x.ts', "import { renderTray } from '../../shell/tray';\nexport const r = renderTray;\n"],
  ])('rejects the shell import in %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([IMPORTS]);
  });

  it('allows it in src/main/index.ts and inside src/main/shell', async () => {
    expect(await boundaryErrors('src/main/index.ts', "import { startDesktopShell } from './shell/desktop-shell';\nexport const s = startDesktopShell;\n")).toEqual([]);
    expect(await boundaryErrors('src/main/shell/desktop-shell.ts', "import { renderTray } from './tray';\nexport const r = renderTray;\n")).toEqual([]);
    expect(
      await boundaryErrors('src/main/shell/desktop-shell.ts', "import { isTrustedExternalUrl } from '../desktop/trusted-url';\nexport const t = isTrustedExternalUrl;\n"),
    ).toEqual([]);
  });
});

describe('nothing in src imports the Etsy simulator (sim/), except `art-sync demo`', () => {
  it.each([
    ['src/main/app.ts', "import { startEtsySimulator } from '../../sim';\nexport const s = startEtsySimulator;\n"],
    ['src/main/cli/sync.ts', "import { demoShop } from '../../../sim/demo-shop';\nexport const d = demoShop;\n"],
    ['src/main/shell/tray.ts', "import { startEtsySimulator } from '../../../sim';\nexport const s = startEtsySimulator;\n"],
    ['src/main/store/x-repo.ts', "import type { SimShop } from '../../../sim/sim-model';\nexport type S = SimShop;\n"],
    ['src/shared/x.ts', "import { demoShop } from '../../sim';\nexport const d = demoShop;\n"],
    ['src/renderer/x.ts', "import { demoShop } from '../../sim';\nexport const d = demoShop;\n"],
  ])('rejects the static import in %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([IMPORTS]);
  });

  it('rejects a lazy import() of it outside the demo command', async () => {
    expect(await boundaryErrors('src/main/cli/sync.ts', "export const load = () => import('../../../sim');\n")).toEqual(['no-restricted-syntax']);
  });

  it('allows it in src/main/cli/demo.ts only lazily (types may be imported statically)', async () => {
    expect(await boundaryErrors('src/main/cli/demo.ts', "export const load = () => import('../../../sim');\n")).toEqual([]);
    expect(await boundaryErrors('src/main/cli/demo.ts', "import type { EtsySimulator } from '../../../sim';\nexport type S = EtsySimulator;\n")).toEqual([]);
    expect(await boundaryErrors('src/main/cli/demo.ts', "import { demoShop } from '../../../sim';\nexport const d = demoShop;\n")).not.toEqual([]);
  });
});
