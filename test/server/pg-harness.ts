/**
 * A real Postgres for the server-link tests, reached through the `pg` driver over TCP on 127.0.0.1:
 * - ART_SYNC_TEST_PG_URL set (CI starts Debian's PostgreSQL, .ci/run): a fresh database per test on it,
 *   dropped afterwards; roles and passwords work there.
 * - unset: PGlite in this process behind @electric-sql/pglite-socket. PGlite has one user and ignores
 *   passwords, so tests that need roles check `pg.realServer` and are skipped without a real server.
 * `proxy` sits in front of either, so a test can make the server vanish (connections refused, open ones
 * cut) and come back on the same port.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

export interface TestPg {
  /** URL without password, as a shop owner would put in settings; goes through the proxy. */
  url: string;
  /** Password to use with `url` (null for PGlite). */
  password: string | null;
  /** True on a real PostgreSQL (roles, passwords). */
  realServer: boolean;
  /** Admin connection straight to the database (not through the proxy). */
  admin: pg.Pool;
  /** URL of the same database for another user (real server only). */
  urlFor(user: string): string;
  proxy: TcpProxy;
  close(): Promise<void>;
}

export async function startTestPg(): Promise<TestPg> {
  const external = process.env.ART_SYNC_TEST_PG_URL;
  if (external) return startOnRealServer(external);
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 50 });
  await server.start();
  const port = Number(server.getServerConn().split(':')[1]);
  const proxy = await startProxy(port);
  const admin = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1 });
  admin.on('error', () => undefined);
  return {
    url: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    password: null,
    realServer: false,
    admin,
    urlFor: (user) => `postgres://${user}@127.0.0.1:${proxy.port}/postgres`,
    proxy,
    async close() {
      await admin.end().catch(() => undefined);
      await proxy.close();
      await server.stop();
      await db.close();
    },
  };
}

async function startOnRealServer(adminUrl: string): Promise<TestPg> {
  const base = new URL(adminUrl);
  const name = `art_sync_t_${crypto.randomBytes(6).toString('hex')}`;
  const root = new pg.Client({ connectionString: adminUrl });
  await root.connect();
  await root.query(`CREATE DATABASE ${name}`);
  await root.end();
  const proxy = await startProxy(Number(base.port || 5432), base.hostname);
  const direct = new URL(adminUrl);
  direct.pathname = `/${name}`;
  const admin = new pg.Pool({ connectionString: direct.toString(), max: 2 });
  admin.on('error', () => undefined);
  const viaProxy = (user: string) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${proxy.port}/${name}`;
  return {
    url: viaProxy(decodeURIComponent(base.username)),
    password: decodeURIComponent(base.password) || null,
    realServer: true,
    admin,
    urlFor: viaProxy,
    proxy,
    async close() {
      await admin.end().catch(() => undefined);
      await proxy.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface TcpProxy {
  port: number;
  /** The server is "stopped": open connections are cut and new ones refused. */
  down(): Promise<void>;
  /** The server is back, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      const s = server;
      server = null;
      s.close(() => resolve());
    });
  await listen();
  return {
    get port() {
      return port;
    },
    down: stop,
    up: listen,
    close: stop,
  };
}
