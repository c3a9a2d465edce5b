/**
 * What every CLI command module receives: where to write, how to find the data folder, and how to
 * open the core (its API, core-api.ts) for the length of one command. Commands throw AppError; cli.ts
 * turns it into one line on stderr (and `{ "error": ... }` on stdout with --json) and a non-zero exit
 * code. The terminal (TTY checks, prompts), the browser opener and the interrupt source are injected
 * so tests can drive commands in-process without a real terminal or signals.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { createApp } from '../app';
import type { CoreApi } from '../core-api';
import { defaultDataDir, type Env } from '../paths';
import type { SecretStore } from '../secrets/secret-store';
import { asStorageError } from '../store/storage-errors';
import { openUrlInBrowser } from './open-browser';
import { processInterrupts, type InterruptSource } from './interrupts';
import { processTerminal, type CliTerminal } from './terminal';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliContext {
  io: CliIo;
  env: Env;
  terminal: CliTerminal;
  /** Opens a web address in the user's browser; failures are ignored (the address is printed too). */
  openUrl(url: string): void;
  /** SIGINT/SIGTERM for the length of a command. */
  interrupts: InterruptSource;
  /** Wall clock in ms; injected so tests can pin it. */
  now(): number;
  /** The data folder for this invocation: --data-dir, else ART_SYNC_DATA_DIR, else the app's folder. */
  dataDir(command: Command): string;
  /** Builds the core (app.ts) on the data folder, runs `fn` over its API, and always stops the core afterwards. */
  withCore<T>(command: Command, fn: (core: CoreApi) => Promise<T> | T): Promise<T>;
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
  /** drizzle's Postgres migrations for `server migrate` / `server test` (default: the repository's). */
  serverMigrationsFolder?: string;
  /**
   * One secret store for every command of this context (tests: a MemorySecretStore shared across
   * runCli calls stands in for the keychain). Default: the OS keychain, or memory for this process.
   */
  secrets?: SecretStore;
  terminal?: CliTerminal;
  openUrl?: (url: string) => void;
  interrupts?: InterruptSource;
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
    terminal: options.terminal ?? processTerminal(),
    openUrl: options.openUrl ?? ((url) => openUrlInBrowser(url, platform)),
    interrupts: options.interrupts ?? processInterrupts(),
    now: options.now ?? Date.now,
    dataDir,
    async withCore(command, fn) {
      const folder = dataDir(command);
      const core: CoreApi = await createApp({
        dataDir: folder,
        env: options.env,
        ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
        ...(options.serverMigrationsFolder ? { serverMigrationsFolder: options.serverMigrationsFolder } : {}),
        ...(options.secrets ? { secrets: options.secrets } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      const restored = core.restoreNotice();
      if (restored) options.io.stderr(`art-sync: ${restored}\n`);
      try {
        return await fn(core);
      } catch (error) {
        throw asStorageError(error, folder); // a read-only folder or a full disk, in one sentence
      } finally {
        await core.stop();
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
