/**
 * The headless entry (`art-sync`, docs/PRODUCT.md §7): the same core as the desktop app, no Electron.
 * Each command group lives in src/main/cli/<group>.ts as `registerXCommands(program, ctx)`; add new
 * groups to COMMAND_GROUPS. `runCli` never throws and never prints a stack trace: a failure is one
 * line `art-sync: <message>` on stderr (plus `{ "error": { code, message } }` on stdout with --json)
 * and a non-zero return value.
 */
import { Command, CommanderError } from 'commander';
import { AppError, toErrorInfo, type ErrorInfo } from '../shared/errors';
import { registerBackupCommands } from './cli/backup';
import { oneLine } from '../shared/text';
import { registerCatalogCommands } from './cli/catalog';
import { registerConfigCommands } from './cli/config';
import { registerConnectCommands } from './cli/connect';
import { createCliContext, type CliContext, type CliIo, type CreateCliContextOptions } from './cli/context';
import { registerDaemonCommands } from './cli/daemon';
import { registerDemoCommands } from './cli/demo';
import { registerHistoryCommands } from './cli/history';
import { serverCommands } from './cli/server';
import { registerStatusCommands } from './cli/status';
import { registerSyncCommands } from './cli/sync';
import { registerUndoCommands } from './cli/undo';
import { appVersion } from './version';

export type RegisterCommands = (program: Command, ctx: CliContext) => void;

export const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerConnectCommands,
  registerConfigCommands,
  registerSyncCommands,
  registerStatusCommands,
  registerHistoryCommands,
  registerCatalogCommands,
  registerUndoCommands,
  serverCommands(),
  registerDaemonCommands,
  registerDemoCommands,
  registerBackupCommands,
];

export function buildProgram(ctx: CliContext, groups: readonly RegisterCommands[] = COMMAND_GROUPS): Command {
  const program = new Command('art-sync')
    .description("Keeps an artist's catalog and stock in sync with their Etsy shop.")
    .version(appVersion(), '-V, --version', 'print the version of art-sync')
    .option('--data-dir <dir>', 'data folder (default: the desktop app’s, or $ART_SYNC_DATA_DIR)')
    .showHelpAfterError(false)
    // Commander's own errors (unknown command, missing argument) come back as exceptions so they get
    // the same one-line treatment as ours; help and version output still print normally.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout(text),
      writeErr: (text) => ctx.io.stderr(text),
      outputError: () => {},
    });
  for (const register of groups) register(program, ctx);
  return program;
}

export interface RunCliOptions extends Partial<Omit<CreateCliContextOptions, 'io'>> {
  io?: CliIo;
  groups?: readonly RegisterCommands[];
}

/** Runs one invocation; `argv` excludes node and the script path. Resolves to the exit code. */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io: CliIo = options.io ?? {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  const ctx = createCliContext({ ...options, io, env: options.env ?? process.env });
  const program = buildProgram(ctx, options.groups);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      return report(io, argv, { code: 'INVALID_INPUT', message: commanderMessage(error) });
    }
    const info = error instanceof AppError ? error.toInfo() : toErrorInfo(error);
    // An unexpected error is a bug: show its stack only when asked, never to a shop owner by default.
    if (!(error instanceof AppError) && ctx.env.ART_SYNC_DEBUG === '1') {
      io.stderr(`${String((error as Error)?.stack ?? error)}\n`);
    }
    return report(io, argv, info);
  }
}

function report(io: CliIo, argv: readonly string[], info: ErrorInfo): number {
  if (argv.includes('--json')) io.stdout(`${JSON.stringify({ error: info }, null, 2)}\n`);
  // The message is a full sentence already; `action` is for the window's button, and JSON keeps it.
  io.stderr(`art-sync: ${oneLine(info.message, Number.POSITIVE_INFINITY)}\n`);
  return 1;
}

/** "error: unknown command 'x'" → "Unknown command 'x'." */
function commanderMessage(error: CommanderError): string {
  const text = error.message.replace(/^error:\s*/i, '').trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}. See "art-sync --help".`;
}
