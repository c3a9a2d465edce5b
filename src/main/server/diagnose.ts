/**
 * `art-sync server test` / the window's "Test connection": checks, in order, that the server answers,
 * accepts the credentials, has this build's schema, and lets this user write the tables Art Sync writes.
 * The first thing wrong is returned as one AppError with a sentence naming it (and what fixes it), so the
 * shop owner sees one line, not a stack of pg errors.
 */
import pg from 'pg';
import { AppError } from '../../shared/errors';
import { pgConfig, type ServerTarget } from './connection';
import { loadServerMigrations, serverSchemaState } from './migrate';

export interface ServerCheckResult {
  host: string;
  database: string;
  user: string;
  serverVersion: string;
  migrations: number;
}

/** The tables and privileges Art Sync needs: what it reads, updates and inserts. */
const NEEDED: readonly { table: string; privileges: readonly ('SELECT' | 'INSERT' | 'UPDATE')[] }[] = [
  { table: 'products', privileges: ['SELECT', 'INSERT'] },
  { table: 'product_variants', privileges: ['SELECT', 'INSERT', 'UPDATE'] },
  { table: 'etsy_sync_config', privileges: ['SELECT', 'INSERT', 'UPDATE'] },
  { table: 'etsy_products', privileges: ['SELECT', 'INSERT', 'UPDATE'] },
  { table: 'etsy_inventory_sync_log', privileges: ['SELECT', 'INSERT'] },
];

export async function checkServer(target: ServerTarget, options: { migrationsFolder?: string } = {}): Promise<ServerCheckResult> {
  const config = pgConfig(target);
  const where = `${config.host}:${config.port}`;
  const user = config.user ?? '(default user)';
  const database = config.database ?? user;
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (error) {
      throw connectError(error, where, user, database, target.password !== null);
    }
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? 'unknown';
    const known = loadServerMigrations(options.migrationsFolder);
    const state = await serverSchemaState(client, known);
    if (state.state === 'missing') {
      throw new AppError('SERVER_SCHEMA', `The database "${database}" has no Art Sync tables yet; run "art-sync server migrate".`, {
        action: 'Run art-sync server migrate',
      });
    }
    if (state.state === 'behind') {
      throw new AppError('SERVER_SCHEMA', `The Art Sync tables in "${database}" are from an older version; run "art-sync server migrate".`, {
        action: 'Run art-sync server migrate',
      });
    }
    if (state.state === 'newer') {
      throw new AppError('SERVER_SCHEMA', `The Art Sync tables in "${database}" were upgraded by a newer Art Sync; update Art Sync.`, {
        action: 'Update Art Sync',
      });
    }
    for (const need of NEEDED) {
      for (const privilege of need.privileges) {
        const allowed = await client.query<{ ok: boolean }>('SELECT has_table_privilege(current_user, $1, $2) AS ok', [need.table, privilege]);
        if (!allowed.rows[0]?.ok) {
          throw new AppError(
            'SERVER_PERMISSION',
            `The server user "${user}" may not ${privilege} on table ${need.table}; grant it SELECT, INSERT and UPDATE on the Art Sync tables.`,
            { action: 'Grant the server user write access' },
          );
        }
      }
    }
    // Privileges can be granted and still be refused (read-only transaction mode, a hot standby): try
    // a real write and roll it back.
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO etsy_sync_config (shop_id, shop_name, product_sync_enabled, inventory_sync_enabled, budget_limit_per_day, budget_limit_per_second)
         VALUES (-1, 'art-sync write check', false, false, 0, 0) ON CONFLICT (shop_id) DO UPDATE SET updated_at = now()`,
      );
    } catch (error) {
      throw new AppError('SERVER_PERMISSION', `The server refused a test write as "${user}" (${pgText(error)}); Art Sync needs a server it can write to.`, {
        action: 'Grant the server user write access',
      });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
    return { host: where, database, user, serverVersion: version, migrations: state.applied };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Turns a failed connect into one sentence naming what is wrong (password, database, name, TLS, reachability). */
export function explainConnectError(error: unknown, target: ServerTarget): AppError {
  const config = pgConfig(target);
  const user = config.user ?? '(default user)';
  return connectError(error, `${config.host}:${config.port}`, user, config.database ?? user, target.password !== null);
}

function connectError(error: unknown, where: string, user: string, database: string, hasPassword: boolean): AppError {
  const code = (error as { code?: string }).code;
  if (code === '28P01' || code === '28000') {
    return new AppError(
      'SERVER_AUTH',
      hasPassword
        ? `The server at ${where} refused the password for user "${user}"; set the right one with "art-sync server set-password".`
        : `The server at ${where} wants a password for user "${user}"; set it with "art-sync server set-password".`,
      { action: 'Set the server password' },
    );
  }
  if (code === '3D000') return new AppError('SERVER_SCHEMA', `The server at ${where} has no database "${database}"; check the server URL.`, { action: 'Check the server URL' });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AppError('SERVER_UNREACHABLE', `The server name in ${where} cannot be found; check the server URL.`, { action: 'Check the server URL' });
  }
  const message = pgText(error);
  if (/SSL|TLS|certificate|self.signed/i.test(message)) {
    return new AppError('SERVER_UNREACHABLE', `The secure connection to ${where} failed (${message}); check serverTlsMode.`, { action: 'Check the TLS setting' });
  }
  if (/password/i.test(message)) {
    return new AppError('SERVER_AUTH', `The server at ${where} wants a password for user "${user}"; set it with "art-sync server set-password".`, {
      action: 'Set the server password',
    });
  }
  return new AppError('SERVER_UNREACHABLE', `The server at ${where} cannot be reached (${code ?? message}); check that it is running and the URL is right.`, {
    action: 'Check the server URL',
  });
}

function pgText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
