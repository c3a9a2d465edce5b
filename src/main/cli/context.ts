/**
 * What every CLI command module receives: where to write, how to find the data folder, and how to
 * open the store for the length of one command. Commands throw AppError; cli.ts turns it into one
 * line on stderr (and `{ "error": ... }` on stdout with --json) and a non-zero exit code.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { defaultDataDir, type Env } from '../paths';
import { openStore, type Store } from '../store/open-store';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliContext {
  io: CliIo;
  env: Env;
  /** Wall clock in ms; injected so tests can pin it. */
  now(): number;
  /** The data folder for this invocation: --data-dir, else ART_SYNC_DATA_DIR, else the app's folder. */
  dataDir(command: Command): string;
  /** Opens the store in the data folder, runs `fn`, and always closes it. */
  withStore<T>(command: Command, fn: (store: Store) => Promise<T> | T): Promise<T>;
  /** Sets the process exit code without throwing (e.g. some CSV rows were rejected). */
  fail(code?: number): void;
  readonly exitCode: number;
}

export interface CreateCliContextOptions {
  io: CliIo;
  env: Env;
  platform?: NodeJS.Platform;
  homedir?: string;
  now?: () => number;
  migrationsFolder?: string;
}

export function createCliContext(options: CreateCliContextOptions): CliContext {
  let exitCode = 0;
  const platform = options.platform ?? process.platform;
  const homedir = options.homedir ?? os.homedir();
  const dataDir = (command: Command): string => {
    const fromFlag = (command.optsWithGlobals() as { dataDir?: string }).dataDir;
    return fromFlag ?? defaultDataDir(options.env, platform, homedir);
  };
  return {
    io: options.io,
    env: options.env,
    now: options.now ?? Date.now,
    dataDir,
    async withStore(command, fn) {
      const store = openStore({ dataDir: dataDir(command), migrationsFolder: options.migrationsFolder });
      try {
        return await fn(store);
      } finally {
        store.close();
      }
    },
    fail(code = 1) {
      exitCode = code;
    },
    get exitCode() {
      return exitCode;
    },
  };
}

/** True when the command (or a parent) was given --json. */
export function wantsJson(command: Command): boolean {
  return (command.optsWithGlobals() as { json?: boolean }).json === true;
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
