/**
 * The core worker: one real Core (createApp) in its own process, connected to the parent's simulator
 * through the real OAuth flow, doing what the parent asks (worker-protocol.ts). Its RSS is the app's,
 * without the simulator's.
 */
import schedule from 'node-schedule';
import { freePort } from '../src/main/net/free-port';
import { createApp, type Core } from '../src/main/app';
import { MirrorRepo } from '../src/main/store/mirror-repo';
import { openStore } from '../src/main/store/open-store';
import { MemorySecretStore } from '../src/main/secrets/memory-secret-store';
import { naiveFullSync } from './naive-sync';
import type { BenchClock, MemoryUse, WorkerCommand, WorkerEvent, WorkerReply } from './worker-protocol';

const SAMPLE_MS = 20;
let core: Core | null = null;
let shopId = 0;

function send(reply: WorkerReply): Promise<void> {
  return new Promise((resolve) => process.send!(reply, () => resolve()));
}

/** Samples RSS on an interval while `work` runs (a synchronous stretch can hide a peak; maxRSS cannot). */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; memory: MemoryUse }> {
  let peak = process.memoryUsage.rss();
  let heapUsed = 0;
  let external = 0;
  const sample = (): void => {
    const use = process.memoryUsage();
    peak = Math.max(peak, use.rss);
    heapUsed = Math.max(heapUsed, use.heapUsed);
    external = Math.max(external, use.external);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const cpuBefore = process.cpuUsage();
  try {
    const value = await work();
    sample();
    const cpu = process.cpuUsage(cpuBefore);
    return {
      value,
      memory: {
        sampledPeakRssBytes: peak,
        processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
        sampledPeakHeapUsedBytes: heapUsed,
        sampledPeakExternalBytes: external,
        cpuMs: (cpu.user + cpu.system) / 1000,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Compresses time for the latency day: the core's clock runs `factor`× faster, and every timer armed
 * from the schedule modules (scheduler, sales watcher, edit pusher) waits 1/factor of its delay, so
 * their intervals pass `factor`× faster. Other timers (the Etsy client's limiter and retries, HTTP)
 * keep real time: the calls themselves are not compressed.
 */
function installClock(clock: BenchClock): () => number {
  const scaled = (delay: unknown): number => Math.max(1, Math.round(Number(delay ?? 0) / clock.factor));
  // The schedule modules' intervals, and the folder lock's wait between tries (an idle wait too).
  const fromSchedule = (): boolean => {
    const stack = new Error().stack ?? '';
    return stack.includes('main/schedule/') || stack.includes('main/store/folder-lock');
  };
  const realTimeout = globalThis.setTimeout;
  const realInterval = globalThis.setInterval;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    realTimeout(fn, fromSchedule() ? scaled(delay) : delay, ...args)) as typeof setTimeout;
  globalThis.setInterval = ((fn: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    realInterval(fn, fromSchedule() ? scaled(delay) : delay, ...args)) as typeof setInterval;
  // The scheduler arms node-schedule at an absolute date on the core's clock: move it to the wall clock.
  const scheduleJob = schedule.scheduleJob.bind(schedule);
  schedule.scheduleJob = ((when: unknown, ...rest: unknown[]) => {
    const at = when instanceof Date ? new Date(Math.max(Date.now() + 1, clock.t0 + (when.getTime() - clock.t0) / clock.factor)) : when;
    return (scheduleJob as (...args: unknown[]) => schedule.Job)(at, ...rest);
  }) as typeof schedule.scheduleJob;
  return () => clock.t0 + (Date.now() - clock.t0) * clock.factor;
}

function emit(event: WorkerEvent): void {
  process.send!(event);
}

function requireCore(): Core {
  if (!core) throw new Error('connect first');
  return core;
}


async function handle(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.op) {
    case 'connect': {
      const { memory } = await measured(async () => {
        const env = { ART_SYNC_ETSY_API_URL: command.simUrl, ART_SYNC_ETSY_AUTH_URL: command.simUrl, ART_SYNC_NO_KEYCHAIN: '1' };
        const now = command.clock ? installClock(command.clock) : undefined;
        core = await createApp({ dataDir: command.dataDir, env, secrets: new MemorySecretStore(), ...(now ? { now } : {}) });
        const redirectUri = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
        const shop = await core.connect({
          keystring: command.keystring,
          sharedSecret: command.sharedSecret,
          redirectUri,
          // Stands in for the browser: the simulator approves and redirects to the loopback listener.
          onAuthorizeUrl: (url) => void fetch(url).catch(() => undefined),
          timeoutMs: 10_000,
        });
        shopId = shop.shopId;
      });
      return { ok: true, op: 'connect', shopId, memory };
    }
    case 'sync': {
      const app = requireCore();
      const { value, memory } = await measured(async () => {
        const started = performance.now();
        const report = await app.sync({ kinds: command.kinds, trigger: 'manual', ...(command.full ? { full: true } : {}), ...(command.dryRun ? { dryRun: true } : {}) });
        return {
          ms: performance.now() - started,
          runs: report.runs.map((run) => ({ kind: run.kind, status: run.status, callsUsed: run.callsUsed, summary: run.summary })),
          errors: report.errors.map((error) => `${error.code}: ${error.message}`),
          changes: report.changes.length,
        };
      });
      return { ok: true, op: 'sync', result: value, memory };
    }
    case 'naive': {
      const app = requireCore();
      const client = await app.etsyClient();
      const scratch = openStore({ dataDir: command.scratchDir });
      try {
        const { value, memory } = await measured(async () => {
          const started = performance.now();
          const counts = await naiveFullSync(client, new MirrorRepo(scratch.sqlite), shopId);
          return { ms: performance.now() - started, ...counts };
        });
        return { ok: true, op: 'naive', result: value, memory };
      } finally {
        scratch.close();
      }
    }
    case 'bumpStock': {
      const app = requireCore();
      const { value, memory } = await measured(async () => {
        let changed = 0;
        for (const sku of command.skus) {
          const variant = app.catalog.getBySku(sku);
          if (!variant) throw new Error(`SKU ${sku} is not in the catalog`);
          if (app.catalog.setStock(sku, variant.quantity + command.delta).changed) changed += 1;
        }
        return changed;
      });
      return { ok: true, op: 'bumpStock', changed: value, memory };
    }
    case 'catalog': {
      const app = requireCore();
      const { value, memory } = await measured(async () => Object.fromEntries(app.catalog.list().map((v) => [v.sku, v.quantity])));
      return { ok: true, op: 'catalog', stock: value, memory };
    }
    case 'setStock': {
      const app = requireCore();
      const { memory } = await measured(async () => {
        if (!app.catalog.getBySku(command.sku)) throw new Error(`SKU ${command.sku} is not in the catalog`);
        app.catalog.setStock(command.sku, command.quantity);
      });
      return { ok: true, op: 'setStock', memory };
    }
    case 'settings': {
      const app = requireCore();
      const { memory } = await measured(async () => void app.updateSettings(command.changes));
      return { ok: true, op: 'settings', memory };
    }
    case 'start': {
      const app = requireCore();
      // Every run (scheduled, targeted, manual) goes through Core.sync: tell the parent when one starts
      // and ends, so it can attribute the simulator's calls to polls, targeted runs and safety-net syncs.
      const sync = app.sync.bind(app);
      app.sync = async (request) => {
        const info = { trigger: String(request.trigger ?? 'manual'), kinds: [...request.kinds] };
        emit({ event: 'run', phase: 'start', ...info });
        let summary = 'failed';
        try {
          const report = await sync(request);
          summary = [...report.runs.map((run) => `${run.status}: ${run.summary}`), ...report.errors.map((e) => `${e.code}: ${e.message}`)].join('; ');
          return report;
        } finally {
          emit({ event: 'run', phase: 'end', ...info, summary });
        }
      };
      const poll = app.engine.pollSales.bind(app.engine);
      app.engine.pollSales = async (options) => {
        emit({ event: 'run', phase: 'start', trigger: 'poll', kinds: [] });
        try {
          return await poll(options);
        } finally {
          emit({ event: 'run', phase: 'end', trigger: 'poll', kinds: [] });
        }
      };
      const { memory } = await measured(() => app.start());
      return { ok: true, op: 'start', memory };
    }
    case 'stop': {
      const { memory } = await measured(async () => {
        await core?.stop();
        core = null;
      });
      return { ok: true, op: 'stop', memory };
    }
  }
}

process.on('message', (command: WorkerCommand) => {
  void handle(command)
    .catch((error: unknown): WorkerReply => ({ ok: false, op: command.op, error: error instanceof Error ? error.stack ?? error.message : String(error) }))
    .then(async (reply) => {
      await send(reply);
      if (command.op === 'stop') process.exit(0);
    });
});
