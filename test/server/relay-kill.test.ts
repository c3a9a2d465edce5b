import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { etsySellable } from '../sync/world';
import { localLog, serverLog, startServerWorld, type ServerWorld } from './server-world';

const CHILD = path.resolve(__dirname, 'fixtures/relay-kill-child.ts');

let sw: ServerWorld | null = null;
afterEach(async () => {
  await sw?.close();
  sw = null;
});

function runChild(input: unknown): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'pipe'], cwd: process.cwd() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(JSON.stringify(input));
  // A child that hangs fails the test instead of hanging it.
  const guard = setTimeout(() => child.kill('SIGTERM'), 60_000);
  return new Promise((resolve) =>
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      resolve({ signal, stdout, stderr });
    }),
  );
}

describe('relay killed between the server commit and the local mark', () => {
  it('SIGKILL after the remote commit but before the local "sent" mark leaves no duplicate rows after restart', { timeout: 120_000 }, async () => {
    sw = await startServerWorld();
    const { world, pg } = sw;
    const { sim, core } = world;
    // Build up a queue while the server is away.
    await pg.proxy.down();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    const row = etsySellable(sim).find((r) => r.quantity >= 2)!;
    sim.sell(row.listingId, { sku: row.sku }, 1);
    await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    const queued = core.server.outbox.pendingCount();
    expect(queued).toBeGreaterThan(0);
    const history = localLog(core);
    expect(history.length).toBeGreaterThan(0);
    await pg.proxy.up();

    const child = await runChild({ dataDir: world.dataDir, password: pg.password });
    expect(child.stderr).toBe('');
    expect(child.stdout).toContain('committed');
    expect(child.signal).toBe('SIGKILL');

    // The server has the batch; locally it is still waiting, so it will be sent again.
    expect(await serverLog(pg)).toEqual(history);
    expect(core.server.outbox.pendingCount()).toBe(queued);

    // "Restart": the next drain re-sends the batch; the server ignores what it has.
    await core.server.relay.drain();
    expect(core.server.outbox.pendingCount()).toBe(0);
    expect(await serverLog(pg)).toEqual(history);
    const counts = await pg.admin.query<{ n: string; distinct_local: string }>('SELECT count(*) AS n, count(DISTINCT local_id) AS distinct_local FROM etsy_inventory_sync_log');
    expect(Number(counts.rows[0]!.n)).toBe(history.length);
    expect(Number(counts.rows[0]!.distinct_local)).toBe(history.length);
    const links = await pg.admin.query<{ n: string }>('SELECT count(*) AS n FROM etsy_products');
    expect(Number(links.rows[0]!.n)).toBe(core.repos.links.listLinks().length);
  });
});
