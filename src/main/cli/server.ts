/**
 * `art-sync server migrate | test | set-password` — the optional Art Management Tool Postgres link
 * (PRODUCT.md §2, §7). The URL and TLS mode are settings (`config set serverUrl ...`); the password is
 * kept in the keychain by `server set-password` (ART_SYNC_SERVER_PASSWORD overrides it on machines
 * without a keychain). Migrations are applied only here, never automatically.
 */
import type { Command } from 'commander';
import pg from 'pg';
import { AppError } from '../../shared/errors';
import { openSecretStore } from '../secrets/open-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { pgConfig, resolveServerTarget } from '../server/connection';
import { checkServer, explainConnectError } from '../server/diagnose';
import { loadServerMigrations, migrateServer } from '../server/migrate';
import { SettingsRepo } from '../store/settings-repo';
import { printJson, wantsJson, type CliContext } from './context';
import type { RegisterCommands } from '../cli';

export interface ServerCommandDeps {
  /** Opens the secret store for a data folder (tests inject a memory store). */
  openSecrets?(dataDir: string, env: Record<string, string | undefined>): Promise<{ store: SecretStore; memoryReason: string | null }>;
  /** Reads the password typed or piped in (without echo on a terminal). */
  readPassword?(prompt: string): Promise<string>;
  migrationsFolder?: string;
}

export function serverCommands(deps: ServerCommandDeps = {}): RegisterCommands {
  const openSecrets =
    deps.openSecrets ?? ((dataDir: string, env: Record<string, string | undefined>) => openSecretStore({ dataDir, preferKeychain: env.ART_SYNC_NO_KEYCHAIN !== '1' }));
  const readPassword = deps.readPassword ?? readPasswordFromStdin;

  return (program: Command, ctx: CliContext) => {
    const server = program.command('server').description('the optional Art Management Tool server (Postgres)');

    const target = async (command: Command) => {
      const settings = await ctx.withStore(command, (store) => new SettingsRepo(store.sqlite, ctx.now).get());
      const secrets = await openSecrets(ctx.dataDir(command), ctx.env);
      return resolveServerTarget(settings, secrets.store, ctx.env);
    };

    server
      .command('migrate')
      .description("create or upgrade Art Sync's tables on the server")
      .option('--json', 'machine-readable output')
      .action(async (_options: unknown, command: Command) => {
        const resolved = await target(command);
        const known = loadServerMigrations(deps.migrationsFolder);
        const client = new pg.Client(pgConfig(resolved));
        client.on('error', () => undefined);
        try {
          try {
            await client.connect();
          } catch (error) {
            throw explainConnectError(error, resolved);
          }
          const applied = await migrateServer(client, known);
          if (wantsJson(command)) printJson(ctx, { applied: applied.length, total: known.length });
          else ctx.io.stdout(applied.length === 0 ? 'The server is up to date.\n' : `Applied ${applied.length} server migration(s); the server is up to date.\n`);
        } finally {
          await client.end().catch(() => undefined);
        }
      });

    server
      .command('test')
      .description('check reachability, password, schema version and write permission')
      .option('--json', 'machine-readable output')
      .action(async (_options: unknown, command: Command) => {
        const result = await checkServer(await target(command), { ...(deps.migrationsFolder ? { migrationsFolder: deps.migrationsFolder } : {}) });
        if (wantsJson(command)) printJson(ctx, { ok: true, ...result });
        else ctx.io.stdout(`Server OK: ${result.user}@${result.host}/${result.database}, PostgreSQL ${result.serverVersion}, Art Sync schema current, writable.\n`);
      });

    server
      .command('set-password')
      .description('store the server password in the system keychain (read from the terminal or stdin)')
      .action(async (_options: unknown, command: Command) => {
        const secrets = await openSecrets(ctx.dataDir(command), ctx.env);
        if (secrets.store.kind !== 'keychain') {
          throw new AppError('KEYCHAIN_UNAVAILABLE', 'There is no system keychain here, so the password cannot be kept; set ART_SYNC_SERVER_PASSWORD for Art Sync instead.', {
            action: 'Set ART_SYNC_SERVER_PASSWORD',
          });
        }
        const password = await readPassword('Server password: ');
        if (password === '') throw new AppError('INVALID_INPUT', 'No password was given; nothing was changed.');
        await secrets.store.set('server.password', password);
        ctx.io.stdout('The server password is stored in the system keychain.\n');
      });
  };
}

/** A terminal gets a prompt without echo; a pipe is read to its end (one trailing newline dropped). */
export async function readPasswordFromStdin(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(() => resolve(value));
        if (char === '\u0003') return finish(() => reject(new AppError('CANCELLED', 'Cancelled; nothing was changed.')));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    const finish = (done: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      done();
    };
    stdin.on('data', onData);
  });
}
