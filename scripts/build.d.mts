// Types for scripts/build.mjs (plain JS so `npm start` and electron-builder need no build step).

/** What the Electron main bundle leaves as run-time requires: native modules and electron itself. */
export declare const MAIN_EXTERNALS: string[];

export declare function build(options?: { logLevel?: 'silent' | 'error' | 'warning' | 'info' }): Promise<void>;
