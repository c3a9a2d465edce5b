/**
 * `art-sync server migrate | test | set-password | clear-password` — the optional Art Management Tool
 * Postgres link (docs/PRODUCT.md §2, §7). The URL and TLS mode are settings (`config set serverUrl ...`);
 * the password goes to the core's secret store, through the same core method as the window's
 * (ART_SYNC_SERVER_PASSWORD overrides it). Migrations are applied only here, never automatically.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { RegisterCommands } from '../cli';
import { printJson, wantsJson, type CliContext } from './context';

export function serverCommands(): RegisterCommands {
  return (program: Command, ctx: CliContext) => {
    const server = program.command('server').description('the optional Art Management Tool server (Postgres)');

    server
      .command('migrate')
      .description("create or upgrade Art Sync's tables on the server")
      .option('--json', 'machine-readable output')
      .action(async (_options: unknown, command: Command) => {
        const { applied, total } = await ctx.withCore(command, (core) => core.migrateServer());
        if (wantsJson(command)) printJson(ctx, { applied, total });
        else ctx.io.stdout(applied === 0 ? 'The server is up to date.\n' : `Applied ${applied} server migration(s); the server is up to date.\n`);
      });

    server
      .command('test')
      .description('check reachability, password, schema version and write permission')
      .option('--json', 'machine-readable output')
      .action(async (_options: unknown, command: Command) => {
        const result = await ctx.withCore(command, (core) => core.testServer());
        if (!result.ok) throw result.error;
        const { host, database, user, serverVersion, migrations } = result;
        if (wantsJson(command)) printJson(ctx, { ok: true, host, database, user, serverVersion, migrations });
        else ctx.io.stdout(`Server OK: ${user}@${host}/${database}, PostgreSQL ${serverVersion}, Art Sync schema current, writable.\n`);
      });

    server
      .command('set-password')
      .description('store the server password in the system keychain (typed without echo, or piped in)')
      .option('--json', 'machine-readable output: { stored, message }')
      .action(async (_options: unknown, command: Command) => {
        const password = await readPassword(ctx);
        if (password === '') throw new AppError('INVALID_INPUT', 'No password was given; nothing was changed.');
        const result = await ctx.withCore(command, (core) => core.setServerPassword(password));
        if (wantsJson(command)) printJson(ctx, { stored: result.stored, message: result.message });
        else ctx.io.stdout(`${result.message}\n`);
      });

    server
      .command('clear-password')
      .description('forget the saved server password')
      .option('--json', 'machine-readable output: { removed }')
      .action(async (_options: unknown, command: Command) => {
        const { removed } = await ctx.withCore(command, (core) => core.clearServerPassword());
        if (wantsJson(command)) printJson(ctx, { removed });
        else ctx.io.stdout(removed ? 'The saved server password was forgotten.\n' : 'No server password was saved.\n');
      });
  };
}

/** A terminal gets a prompt without echo; a pipe is read to its end (one trailing newline dropped). */
async function readPassword(ctx: CliContext): Promise<string> {
  if (ctx.terminal.interactive) return ctx.terminal.prompt('Server password (not shown as you type): ', { hidden: true });
  return (await ctx.terminal.readAll()).replace(/\r?\n$/, '');
}
