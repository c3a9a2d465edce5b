/**
 * The core's use cases for the optional server link (Art Management Tool Postgres): test, migrate,
 * set and clear the password. Core (app.ts) delegates here; the window and `art-sync server` both
 * reach them only through CoreApi, so both get the same rules and the same sentences.
 */
import pg from 'pg';
import { AppError, isAppError } from '../shared/errors';
import type { ServerPasswordResult } from '../shared/ipc';
import type { Settings } from '../shared/settings';
import type { ServerCheck } from './core-api';
import type { SecretStore } from './secrets/secret-store';
import { pgConfig, resolveServerTarget } from './server/connection';
import { checkServer, explainConnectError } from './server/diagnose';
import { loadServerMigrations, migrateServer } from './server/migrate';

export interface ServerDeps {
  settings: Settings;
  secrets: SecretStore;
  env: Record<string, string | undefined>;
  /** The running link: told to pick up a new password. */
  link: { reconfigure(): void };
  /** drizzle/postgres of this build (the packaged app passes <app path>/drizzle/postgres). */
  migrationsFolder: string | undefined;
}

/** Reachable, password, schema, write permission. A problem the owner can fix is an answer, not a crash. */
export async function testServer(deps: ServerDeps): Promise<ServerCheck> {
  if (deps.settings.serverUrl.trim() === '') {
    const error = new AppError(
      'INVALID_INPUT',
      'No server address is set yet: enter it in Settings, or run "art-sync config set serverUrl postgres://USER@HOST:5432/DATABASE".',
    );
    return { ok: false, message: error.message, error };
  }
  try {
    const target = await resolveServerTarget(deps.settings, deps.secrets, deps.env);
    const result = await checkServer(target, deps.migrationsFolder ? { migrationsFolder: deps.migrationsFolder } : {});
    return {
      ok: true,
      message: `Connected to ${result.database} on ${result.host} as ${result.user} (PostgreSQL ${result.serverVersion}); the schema is current and Art Sync can write.`,
      ...result,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ok: false, message: error.message, error };
  }
}

/** Applies the server migrations this build knows (only ever on request, never automatically). */
export async function migrateServerSchema(deps: ServerDeps): Promise<{ applied: number; total: number }> {
  const target = await resolveServerTarget(deps.settings, deps.secrets, deps.env);
  const known = loadServerMigrations(deps.migrationsFolder);
  const client = new pg.Client(pgConfig(target));
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (error) {
      throw explainConnectError(error, target);
    }
    const applied = await migrateServer(client, known);
    return { applied: applied.length, total: known.length };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * One rule for both doors: the password goes in the secret store. Without a system keychain that
 * store is memory, kept only while this process runs; the answer says so in a sentence.
 */
export async function setServerPassword(deps: ServerDeps, password: string): Promise<ServerPasswordResult> {
  if (password === '') throw new AppError('INVALID_INPUT', 'No password was given; nothing was changed.');
  await deps.secrets.set('server.password', password);
  // The link reads the password for each new connection; reconfigure lets it pick the change up.
  deps.link.reconfigure();
  const stored = deps.secrets.kind;
  return {
    stored,
    message:
      stored === 'keychain'
        ? 'The server password is saved in the system keychain.'
        : 'There is no system keychain here, so the server password is kept for this session only (until this Art Sync process ends); set ART_SYNC_SERVER_PASSWORD to keep it.',
  };
}

export async function clearServerPassword(deps: ServerDeps): Promise<{ removed: boolean }> {
  const removed = await deps.secrets.delete('server.password');
  deps.link.reconfigure();
  return { removed };
}
