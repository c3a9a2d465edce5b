// Types for bin/cli-bundle.mjs (plain JS so bin/art-sync.js needs no build step to decide).

export declare const CLI_BUNDLE_DIR: string;
export declare const CLI_BUNDLE_FILE: string;
export declare const CLI_MANIFEST_FILE: string;
export declare const CLI_CODE_CACHE_SUFFIX: string;

export interface CliBundleManifest {
  /** Date.now() when the build began. */
  builtAt: number;
  /** Project-relative paths of the source files (not node_modules) the bundles were built from. */
  inputs: string[];
}

export declare function freshCliBundle(root: string, dir?: string): string | null;

export declare function loadCliBundle(bundle: string): { exports: Record<string, unknown>; saveCodeCache(): void };
