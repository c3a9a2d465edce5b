// Types for scripts/build-cli.mjs (plain JS so `npm ci` can run it through `prepare`).
import type { Metafile } from 'esbuild';

export declare const CLI_EXTERNALS: string[];

export declare function buildCli(options?: { outdir?: string; logLevel?: 'silent' | 'error' | 'warning' | 'info' }): Promise<{
  outdir: string;
  /** Project-relative source files that went into the bundles (also in manifest.json). */
  inputs: string[];
  cliMetafile: Metafile;
  simMetafile: Metafile;
}>;
