/**
 * How Art Sync reaches the server: the URL from settings (no password in it), the password from the
 * keychain (`server.password`, or ART_SYNC_SERVER_PASSWORD for headless machines without a keychain),
 * and the TLS mode mapped to pg's `ssl` option. One small pool per Core; every query has a timeout so an
 * unreachable server never hangs a sync.
 */
import pg from 'pg';
import { AppError } from '../../shared/errors';
import { checkServerUrl, type Settings } from '../../shared/settings';
import type { SecretStore } from '../secrets/secret-store';

/** The part of pg's Client/Pool/PoolClient this code uses. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export type ServerTlsMode = Settings['serverTlsMode'];

export interface ServerTarget {
  url: string;
  tlsMode: ServerTlsMode;
  password: string | null;
}

const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 30_000;

/**
 * pg's `ssl` option for a TLS mode. `prefer` (libpq's default) cannot be expressed in pg, which either
 * requires TLS or never uses it; Art Sync treats it as "TLS without certificate checks" except on
 * loopback, where a local server rarely has TLS at all.
 */
export function sslOption(mode: ServerTlsMode, host: string): pg.ClientConfig['ssl'] {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
      return isLoopback(host) ? false : { rejectUnauthorized: false };
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** Builds pg's config; the URL was validated by the settings schema, checked again here. */
export function pgConfig(target: ServerTarget): pg.PoolConfig {
  const problem = checkServerUrl(target.url);
  if (problem) throw new AppError('INVALID_INPUT', problem, { action: 'Set the server URL in Settings' });
  const url = new URL(target.url);
  const host = decodeURIComponent(url.hostname);
  return {
    host,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ...(target.password === null ? {} : { password: target.password }),
    ssl: sslOption(target.tlsMode, host),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: 'art-sync',
  };
}

export async function resolveServerTarget(settings: Settings, secrets: SecretStore, env: Record<string, string | undefined>): Promise<ServerTarget> {
  if (settings.serverUrl.trim() === '') {
    throw new AppError('INVALID_INPUT', 'No server URL is set: art-sync config set serverUrl postgres://USER@HOST:5432/DATABASE.', {
      action: 'Set the server URL in Settings',
    });
  }
  const password = env.ART_SYNC_SERVER_PASSWORD ?? (await secrets.get('server.password'));
  return { url: settings.serverUrl, tlsMode: settings.serverTlsMode, password };
}

export function createServerPool(target: ServerTarget): pg.Pool {
  const pool = new pg.Pool({ ...pgConfig(target), max: 2, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection (server restarted) must not crash the process; the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in one transaction on one pooled connection. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Whether an error means "the server is not there right now" (retry later) rather than a bug. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004'].includes(code)) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded|connection timeout|Client has encountered a connection error|not queryable/i.test(message);
}
