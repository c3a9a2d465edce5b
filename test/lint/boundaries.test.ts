// The folder boundaries of STYLE.md are enforced by eslint.config.js; these cases prove the rules
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
  return result.messages
    .filter((m) => m.severity === 2)
    .map((m) => m.ruleId ?? 'unknown')
    .filter((id) => /restricted/.test(id));
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
