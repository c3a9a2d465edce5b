// Types for scripts/start-lib.mjs (plain JS so `node scripts/start.mjs` runs without a build step).

export declare const DEFAULT_ELECTRON_HOST: string;

export interface DownloadResult {
  ok: boolean;
  timedOut?: boolean;
  /** Captured stdout + stderr of the download, shown to nobody but used to name the reason. */
  output?: string;
}

export type BindingResult = { ok: true; path: string } | { ok: false; logFile?: string };

export declare function describeDownloadFailure(input: { timedOut: boolean; output: string; host?: string }): string;

export declare const messages: {
  electronUnavailable(reason: string): string;
  buildFailed(): string;
  sqliteBindingFailed(electronVersion: string, logFile?: string): string;
};

export declare function findElectronBinary(input: {
  electronDir: string;
  env?: Record<string, string | undefined>;
  exists?: (file: string) => boolean;
  readText?: (file: string) => string;
}): string | null;

export declare function ensureSqliteBinding(input: {
  nativeDir: string;
  electronVersion: string;
  sqliteVersion: string;
  fs: { exists(file: string): boolean; readText(file: string): string | null; writeText(file: string, text: string): void };
  compile(input: { electronVersion: string; outFile: string }): Promise<{ ok: boolean; logFile?: string }>;
}): Promise<BindingResult>;

export interface StartDeps {
  electronVersion: string;
  /** Host named when the download cannot reach the network (github.com unless a mirror is set). */
  electronHost?: string;
  env: Record<string, string | undefined>;
  print(line: string): void;
  findElectron(): string | null;
  downloadElectron(): Promise<DownloadResult>;
  build(): Promise<void>;
  ensureSqliteBinding(): Promise<BindingResult>;
  launch(electronPath: string, env: Record<string, string | undefined>): Promise<number>;
}

export declare function runStart(deps: StartDeps): Promise<number>;
