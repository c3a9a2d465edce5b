// ESLint 9 flat config. Besides a light set of recommended rules, this file turns the folder
// boundaries of docs/STYLE.md into lint errors (so a bad import fails `npm test`, not a code review):
//   - src/shared imports nothing from Node, Electron, the DOM, src/main or src/renderer;
//   - src/renderer never imports src/main, Electron or Node;
//   - in src/main only shell/, preload/ and index.ts import `electron` at runtime (types are fine);
//   - src/main/store imports neither the sync engine nor the Etsy client (nor anything above them);
//   - the planner, src/main/sync/plan, imports only its own folder, src/shared and catalog/money:
//     no store, Etsy client, sync engine, Node built-in or I/O package;
//   - only src/main/shell and src/main/index.ts import src/main/shell;
//   - nothing in src imports the Etsy simulator (sim/), except `art-sync demo` (src/main/cli/demo.ts), lazily.
// docs/ARCHITECTURE.md "Import rules" says the same in words; test/lint/boundaries.test.ts plants
// each forbidden import. Not type-aware on purpose: lint stays fast and needs no project service.
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

// A relative climb into one of src/main's folders or top-level modules (`../sync/x`, `../../etsy`,
// `../app`), optionally spelled through `main/` or `src/main/`; and the same through an absolute path.
const climbsIntoMain = (names, message) => ({
  regex: `^(\\.\\./)+((src/)?main/)?(${names.join('|')})(/|$)`,
  message,
});
const absoluteIntoMain = (names, message) => ({
  regex: `^(/|.*/)?src/main/(${names.join('|')})(/|$)`,
  message,
});

const SHARED_MSG = 'src/shared is pure TypeScript: no Node, Electron, DOM, src/main or src/renderer imports (docs/STYLE.md §5).';
const RENDERER_MSG = 'src/renderer talks to the core only through the preload contract: no src/main, Electron or Node imports (docs/STYLE.md §5).';
const ELECTRON_MSG =
  'Only src/main/shell, src/main/preload and src/main/index.ts import electron at runtime; elsewhere use `import type` and receive Electron objects by injection (docs/STYLE.md §4).';

const STORE_MSG =
  'src/main/store is the bottom of the core: it imports neither the sync engine (sync/) nor the Etsy client (etsy/), nor anything above them; a type both need goes in src/shared (docs/STYLE.md §16, docs/ARCHITECTURE.md).';
const PLAN_MSG =
  'The planner (src/main/sync/plan) is pure: it imports only its own folder, src/shared and catalog/money — no store, Etsy client, sync engine, Node built-in or I/O package; it gets its input as data (docs/STYLE.md §9).';
const SHELL_MSG =
  'Only src/main/shell and src/main/index.ts import src/main/shell (the Electron adapters); a pure decision goes in src/main/desktop or src/shared.';
const SIM_MSG =
  'The Etsy simulator (sim/) is for tests, the bench and `art-sync demo` only (src/main/cli/demo.ts loads it lazily); the app never imports it.';

// Folders and modules of src/main above the store (the store may import none of them).
const ABOVE_STORE = ['sync', 'etsy', 'server', 'schedule', 'desktop', 'shell', 'cli', 'preload', 'app', 'status', 'index'];
// Packages that do I/O (electron has its own rule); the planner imports none of them.
const IO_PACKAGES = ['better-sqlite3', 'drizzle-orm', 'pg', 'keytar', 'node-schedule'];

const SIM_IMPORT = { regex: '^(\\.\\./)+sim(/|$)', message: SIM_MSG };
const SIM_DYNAMIC = { selector: 'ImportExpression[source.value=/^(\\.\\.\\/)+sim(\\/|$)/]', message: SIM_MSG };
const SHELL_IMPORTS = [
  { regex: '^(\\./|(\\.\\./)+)((src/)?main/)?shell(/|$)', message: SHELL_MSG },
  absoluteIntoMain(['shell'], SHELL_MSG),
];
const ELECTRON_TYPES_ONLY = {
  paths: [{ name: 'electron', message: ELECTRON_MSG, allowTypeImports: true }],
  patterns: [{ regex: '^electron/', message: ELECTRON_MSG, allowTypeImports: true }],
};

/** One no-restricted-imports setting from several rule sets (flat config replaces, never merges, options). */
const restrictImports = (...sets) => [
  'error',
  { paths: sets.flatMap((set) => set.paths ?? []), patterns: sets.flatMap((set) => set.patterns ?? []) },
];

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
            SIM_IMPORT,
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
        SIM_DYNAMIC,
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
            SIM_IMPORT,
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...dynamicImportOf("'electron'", RENDERER_MSG),
        { selector: 'ImportExpression[source.value=/^node:/]', message: RENDERER_MSG },
        SIM_DYNAMIC,
      ],
    },
  },

  // ---- src/main (the core): electron as types only, no shell/, no simulator ----
  {
    files: ['src/main/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports(ELECTRON_TYPES_ONLY, { patterns: [...SHELL_IMPORTS, SIM_IMPORT] }),
      'no-restricted-syntax': ['error', ...dynamicImportOf("'electron'", ELECTRON_MSG), SIM_DYNAMIC],
    },
  },
  {
    // The Electron adapters and the desktop entry: runtime Electron and shell/ allowed.
    files: ['src/main/shell/**', 'src/main/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports({ patterns: [SIM_IMPORT] }),
      'no-restricted-syntax': ['error', SIM_DYNAMIC],
    },
  },
  {
    // The preload: runtime Electron allowed, shell/ not.
    files: ['src/main/preload/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports({ patterns: [...SHELL_IMPORTS, SIM_IMPORT] }),
      'no-restricted-syntax': ['error', SIM_DYNAMIC],
    },
  },
  {
    // `art-sync demo` is the one part of the app that runs the simulator, loaded lazily with import():
    // a static import would load it (and ajv, a dev dependency) for every other command too.
    files: ['src/main/cli/demo.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports(ELECTRON_TYPES_ONLY, {
        patterns: [...SHELL_IMPORTS, { ...SIM_IMPORT, allowTypeImports: true }],
      }),
      'no-restricted-syntax': ['error', ...dynamicImportOf("'electron'", ELECTRON_MSG)],
    },
  },

  // ---- src/main/store: the bottom of the core ----
  {
    files: ['src/main/store/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports(ELECTRON_TYPES_ONLY, {
        patterns: [...SHELL_IMPORTS, SIM_IMPORT, climbsIntoMain(ABOVE_STORE, STORE_MSG), absoluteIntoMain(ABOVE_STORE, STORE_MSG)],
      }),
    },
  },

  // ---- src/main/sync/plan: the pure planner ----
  {
    files: ['src/main/sync/plan/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports(ELECTRON_TYPES_ONLY, {
        paths: [...nodeBuiltinPaths(PLAN_MSG), ...IO_PACKAGES.map((name) => ({ name, message: PLAN_MSG }))],
        patterns: [
          ...SHELL_IMPORTS,
          SIM_IMPORT,
          NODE_SCHEME(PLAN_MSG),
          { regex: `^(${IO_PACKAGES.join('|')})/`, message: PLAN_MSG },
          // `../x` is the sync engine next door; `../../x` is src/main, where only catalog/money is pure
          // enough; `../../../shared` (and deeper) stays allowed.
          { regex: '^\\.\\./(?!\\.\\./)', message: PLAN_MSG },
          { regex: '^\\.\\./\\.\\./(?!\\.\\./|catalog/money$)', message: PLAN_MSG },
          { regex: '^(/|.*/)?src/main/(?!sync/plan/|catalog/money$)', message: PLAN_MSG },
        ],
      }),
      'no-restricted-syntax': [
        'error',
        ...dynamicImportOf("'electron'", ELECTRON_MSG),
        SIM_DYNAMIC,
        { selector: 'ImportExpression[source.value=/^node:/]', message: PLAN_MSG },
      ],
    },
  },
);
