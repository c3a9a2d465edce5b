import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { Plan } from '../../shared/plan';
import { createApp } from '../app';
import type { CoreApi } from '../core-api';
import { freePort } from '../net/free-port';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import type { AppliedChange } from '../sync/sync-context';
import type { CliContext } from './context';

/**
 * `art-sync demo`: a newcomer's first run, entirely on this machine. It starts the Etsy simulator with
 * a sample art shop, connects through the real OAuth flow, shows the first sync as a dry run, applies
 * it, then makes two Etsy sales and a local stock edit and syncs again, printing why each number
 * changed. Secrets stay in memory; the data folder is temporary unless --data-dir is given.
 *
 * The simulator (sim/, with ajv, a dev dependency) is imported inside the action, never at module
 * load: every other command starts without it (test/cli/cli-bundle.test.ts checks the loaded modules).
 */
export function registerDemoCommands(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('a full run against a simulated Etsy shop on this machine (nothing real is touched)')
    .action(async (_options: unknown, command: Command) => {
      const given = (command.optsWithGlobals() as { dataDir?: string }).dataDir;
      const dataDir = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-demo-'));
      await runDemo(ctx, dataDir, given === undefined);
    });
}

async function runDemo(ctx: CliContext, dataDir: string, temporary: boolean): Promise<void> {
  const out = (line = '') => ctx.io.stdout(`${line}\n`);
  const started = ctx.now();
  const { demoShop, startEtsySimulator } = await import('../../../sim');
  const sim = await startEtsySimulator({ shop: demoShop(), acceptAnyLoopbackRedirect: true, strict: false });
  let core: CoreApi | null = null;
  try {
    core = await createApp({
      dataDir,
      env: { ...ctx.env, ART_SYNC_ETSY_API_URL: sim.url, ART_SYNC_ETSY_AUTH_URL: sim.url },
      secrets: new MemorySecretStore(),
    });
    out('Art Sync demo: a simulated Etsy shop on this machine. Nothing real is touched.');
    out(`Data folder: ${dataDir}${temporary ? ' (temporary)' : ''}`);
    out();

    const redirectUri = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
    const connected = await core.connect({
      keystring: sim.keystring,
      sharedSecret: sim.sharedSecret,
      redirectUri,
      // The simulator approves at once; a plain GET of the authorize address stands in for the browser.
      onAuthorizeUrl: (url) => void fetch(url).catch(() => undefined),
      timeoutMs: 15_000,
    });
    out(`1. Connected to the shop "${connected.shopName}" (${sim.listingIds().length} listings) with OAuth + PKCE.`);
    out();

    out('2. First sync, as a dry run: what would change, and why. Nothing is written yet.');
    await core.sync({ kinds: ['products'], trigger: 'demo' });
    const dry = await core.sync({ kinds: ['inventory'], trigger: 'demo', dryRun: true });
    printChanges(out, dry.changes, 'No stock changes: the catalog simply takes Etsy\'s numbers.', 12);
    printAttention(out, dry.plans);
    out();

    out('3. Applying the first sync.');
    const first = await core.sync({ kinds: ['inventory'], trigger: 'demo' });
    out(`   The catalog now has ${core.listCatalog().length} SKUs; ${first.changes.filter((c) => c.status === 'applied').length} changes applied.`);
    out();

    const sellable = sim
      .snapshot()
      .filter((listing) => listing.state === 'active')
      .flatMap((listing) => listing.products.filter((p) => p.sku !== '' && p.quantity >= 2).map((p) => ({ listing, product: p })));
    const [saleA, saleB, edit] = [sellable[0], sellable[Math.floor(sellable.length / 2)], sellable[sellable.length - 1]];
    out('4. Meanwhile:');
    for (const sale of [saleA, saleB]) {
      if (!sale) continue;
      const result = sim.sell(sale.listing.listing_id, { sku: sale.product.sku }, 1);
      out(`   - a buyer bought 1 × ${sale.product.sku} on Etsy (receipt ${result.receipt_id}).`);
    }
    if (edit) {
      const current = core.listCatalog().find((item) => item.sku === edit.product.sku);
      if (current) {
        core.setStock(edit.product.sku, current.quantity + 5);
        out(`   - you added 5 × ${edit.product.sku} to the catalog here (${current.quantity} → ${current.quantity + 5}).`);
      }
    }
    out();

    out('5. Syncing again. Every change, with its reason:');
    const second = await core.sync({ kinds: ['inventory'], trigger: 'demo' });
    printChanges(out, second.changes, 'Nothing to change.');
    if (second.errors.length > 0) for (const error of second.errors) out(`   ! ${error.message}`);
    out();

    const status = await core.status();
    out(`Etsy API calls used: ${status.budget.usedToday} of ${status.budget.limitPerDay} for the day.`);
    const seconds = ((ctx.now() - started) / 1000).toFixed(1);
    out(
      temporary
        ? `Done in ${seconds} s. The temporary data folder is removed; run "art-sync --data-dir DIR demo" to keep it.`
        : `Done in ${seconds} s. See the history with: art-sync --data-dir "${dataDir}" history`,
    );
  } finally {
    await core?.stop();
    await sim.close();
    if (temporary && ctx.env.ART_SYNC_KEEP_DEMO !== '1') {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

function printChanges(out: (line?: string) => void, changes: readonly AppliedChange[], empty: string, limit = Infinity): void {
  if (changes.length === 0) {
    out(`   ${empty}`);
    return;
  }
  const skuWidth = Math.max(...changes.map((change) => change.sku.length));
  for (const change of changes.slice(0, limit)) {
    const where = change.side === 'etsy' ? `Etsy listing ${change.listingId}` : 'catalog';
    const failed = change.status === 'failed' || change.status === 'unknown' ? ` [${change.status}]` : '';
    out(`   ${change.sku.padEnd(skuWidth)}  ${where.padEnd(23)} ${change.explanation}${failed}`);
  }
  if (changes.length > limit) out(`   … and ${changes.length - limit} more.`);
}

function printAttention(out: (line?: string) => void, plans: readonly Plan[]): void {
  const items = plans.at(-1)?.attention ?? [];
  if (items.length === 0) return;
  out(`   Needs attention (${items.length}):`);
  for (const item of items.slice(0, 8)) out(`   - ${item.message} → ${item.action}`);
  if (items.length > 8) out(`   - … and ${items.length - 8} more (art-sync status).`);
}


