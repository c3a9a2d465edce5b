/**
 * Messages between the benchmark (parent: simulator, measurements) and the core worker (child: one
 * real Core, as the app runs it). The Core runs in its own process so its memory is measured without
 * the simulator's, which a real user never hosts.
 */
import type { Settings } from '../src/shared/settings';
import type { SyncKind } from '../src/main/sync/sync-engine';

/**
 * A compressed clock (bench/latency-day.ts): the core's time runs `factor` times faster than the wall
 * clock from `t0` on, and the timers the schedule modules arm wait 1/factor of their delay. Etsy calls
 * (the limiter, the simulated round trip) still take real time.
 */
export interface BenchClock {
  t0: number;
  factor: number;
}

/** Sent by the worker unasked (not a reply): a sync run began or ended, with what started it. */
export interface WorkerEvent {
  event: 'run';
  phase: 'start' | 'end';
  trigger: string;
  kinds: string[];
  /** At the end of a run: its status and summary, and any errors. */
  summary?: string;
}

export type WorkerCommand =
  | { op: 'connect'; simUrl: string; keystring: string; sharedSecret: string; dataDir: string; clock?: BenchClock }
  | { op: 'sync'; kinds: SyncKind[]; full?: boolean; dryRun?: boolean }
  | { op: 'naive'; scratchDir: string }
  | { op: 'bumpStock'; skus: string[]; delta: number }
  | { op: 'catalog' }
  | { op: 'setStock'; sku: string; quantity: number }
  | { op: 'settings'; changes: Partial<Settings> }
  | { op: 'start' }
  | { op: 'stop' };

/** Memory seen while one command ran: sampled RSS peak, and the kernel's peak RSS of the whole process so far. */
export interface MemoryUse {
  sampledPeakRssBytes: number;
  processMaxRssBytes: number;
  /** Sampled peaks of the JS heap in use and of memory outside it (Buffers, native), to tell where RSS went. */
  sampledPeakHeapUsedBytes?: number;
  sampledPeakExternalBytes?: number;
  /** CPU time (user + system) the worker spent on the command: steadier than wall time on a busy machine. */
  cpuMs?: number;
}

export interface SyncOutcome {
  ms: number;
  runs: { kind: SyncKind; status: string; callsUsed: number; summary: string }[];
  errors: string[];
  changes: number;
}

export interface NaiveOutcome {
  ms: number;
  listings: number;
  inventories: number;
}

export type WorkerReply =
  | { ok: true; op: 'connect'; shopId: number; memory: MemoryUse }
  | { ok: true; op: 'sync'; result: SyncOutcome; memory: MemoryUse }
  | { ok: true; op: 'naive'; result: NaiveOutcome; memory: MemoryUse }
  | { ok: true; op: 'bumpStock'; changed: number; memory: MemoryUse }
  | { ok: true; op: 'catalog'; stock: Record<string, number>; memory: MemoryUse }
  | { ok: true; op: 'stop'; memory: MemoryUse }
  | { ok: true; op: 'setStock' | 'settings' | 'start'; memory: MemoryUse }
  | { ok: false; op: WorkerCommand['op']; error: string };
