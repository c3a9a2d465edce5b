// ESLint 9 flat config. Besides a light set of recommended rules, this file turns the folder
// boundaries of STYLE.md into lint errors (so a bad import fails `npm test`, not a code review):
//   - src/shared imports nothing from Node, Electron, the DOM, src/main or src/renderer;
//   - src/renderer never imports src/main, Electron or Node;
//   - in src/main only shell/, preload/ and index.ts import `electron` at runtime (types are fine).
// Not type-aware on purpose: lint stays fast and needs no project service.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

// Every Node built-in by bare name and sub-path ("fs", "fs/promises", ...). The `node:` scheme is
// covered by a regex pattern below.
const nodeBuiltinPaths = (message) =>
  builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message }));

const NODE_SCHEME = (message) => ({ regex: '^node:', message });

// Relative imports cannot be resolved by no-restricted-imports, so match any path that climbs out
// with `../` and then enters a top-level layer folder (optionally through `src/`).
const climbsInto = (folders, message) => ({
  regex: `^(\\.\\./)+(src/)?(${folders.join('|')})(/|$)`,
  message,
});
const absoluteInto = (folders, message) => ({
  regex: `^(/|.*/)?src/(${folders.join('|')})(/|$)`,
  message,
});

const SHARED_MSG = 'src/shared is pure TypeScript: no Node, Electron, DOM, src/main or src/renderer imports (STYLE.md §5).';
const RENDERER_MSG = 'src/renderer talks to the core only through the preload contract: no src/main, Electron or Node imports (STYLE.md §5).';
const ELECTRON_MSG =
  'Only src/main/shell, src/main/preload and src/main/index.ts import electron at runtime; elsewhere use `import type` and receive Electron objects by injection (STYLE.md §4).';

const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage'];
const NODE_GLOBALS = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global'];

/** `import('electron')` is invisible to no-restricted-imports; `require('electron')` too. */
const dynamicImportOf = (selectorValue, message) => [
  { selector: `ImportExpression[source.value=${selectorValue}]`, message },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${selectorValue}]`, message },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'drizzle/**',
      'release/**',
      'native/**',
      'coverage/**',
      'test-artifacts/**',
      'bench/results/**',
      'src/main/etsy/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: TS_FILES,
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Electron and some libraries hand out `{}`-typed callbacks; not worth the noise.
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    rules: {
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },

  // ---- src/shared: pure TS + zod ----
  {
    files: ['src/shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltinPaths(SHARED_MSG),
            { name: 'electron', message: SHARED_MSG },
            { name: 'react-dom', message: SHARED_MSG },
          ],
          patterns: [
            NODE_SCHEME(SHARED_MSG),
            { regex: '^react-dom/', message: SHARED_MSG },
            { regex: '^electron/', message: SHARED_MSG },
            climbsInto(['main', 'renderer'], SHARED_MSG),
            absoluteInto(['main', 'renderer'], SHARED_MSG),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[...DOM_GLOBALS, ...NODE_GLOBALS].map((name) => ({ name, message: SHARED_MSG })),
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamicImportOf("'electron'", SHARED_MSG),
        { selector: 'ImportExpression[source.value=/^node:/]', message: SHARED_MSG },
      ],
    },
  },

  // ---- src/renderer: React, talks to main only through the preload ----
  {
    files: ['src/renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltinPaths(RENDERER_MSG), { name: 'electron', message: RENDERER_MSG }],
          patterns: [
            NODE_SCHEME(RENDERER_MSG),
            { regex: '^electron/', message: RENDERER_MSG },
            climbsInto(['main'], RENDERER_MSG),
            absoluteInto(['main'], RENDERER_MSG),
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamicImportOf("'electron'", RENDERER_MSG),
        { selector: 'ImportExpression[source.value=/^node:/]', message: RENDERER_MSG },
      ],
    },
  },

  // ---- src/main (the core): electron as types only ----
  {
    files: ['src/main/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: ELECTRON_MSG, allowTypeImports: true }],
          patterns: [{ regex: '^electron/', message: ELECTRON_MSG, allowTypeImports: true }],
        },
      ],
      'no-restricted-syntax': ['error', ...dynamicImportOf("'electron'", ELECTRON_MSG)],
    },
  },
  {
    // The Electron adapters: the only places allowed to touch runtime Electron.
    files: ['src/main/shell/**', 'src/main/preload/**', 'src/main/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': 'off',
      'no-restricted-syntax': 'off',
    },
  },
);
