/**
 * `npm run bench` — what a sync costs against Etsy's limits, measured side by side (docs/PERFORMANCE.md).
 * Prints a table and writes bench/results/latest.json. Targets are reported, never asserted: this is
 * not a test and is not part of `npm test`.
 *
 *   npm run bench                    500 and 5,000 listings, 100 ms simulated latency
 *   npm run bench -- --quick         50 and 500 listings, fewer changes and rows
 *   npm run bench -- --latency 250   another simulated round-trip time
 *   npm run bench -- --cli-startup   only the CLI start-up row (printed, latest.json untouched)
 *   npm run bench -- --latency-day   only the latency day (three schedules side by side; latency-day.json)
 *   npm run bench -- --clock 60      the latency day's clock factor (default 60: an hour in a minute)
 *   npm run bench -- --sync-only     only the sync rows and peak RSS per size (no mirror, server, latency
 *                                    day or CLI rows; latest.json untouched); with --sizes 5000 one size
 *   npm run bench -- --sync-only --preview   also preview the first inventory sync (a dry run) first
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOpenApiValidator } from '../sim';
import { benchCliStartup } from './cli-startup';
import { benchMirror, type MirrorResult } from './mirror-bench';
import { benchLatencyDay, type LatencyDayResult } from './latency-day';
import { cliStartupRow, formatTable, latencyRows, memoryRow, serverRow, sizeRows, type Row } from './report';
import { benchServer } from './server-bench';
import { benchSize, PER_DAY, QPS, type SizeResult } from './sync-bench';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    latency: { type: 'string', default: '100' },
    'cli-startup': { type: 'boolean', default: false },
    'latency-day': { type: 'boolean', default: false },
    clock: { type: 'string', default: '60' },
    'sync-only': { type: 'boolean', default: false },
    sizes: { type: 'string' },
    preview: { type: 'boolean', default: false },
  },
});
const quick = values.quick === true;
const latencyMs = Number(values.latency);
if (!Number.isInteger(latencyMs) || latencyMs < 0) {
  console.error('--latency takes a whole number of milliseconds, e.g. --latency 100');
  process.exit(2);
}

const clockFactor = Number(values.clock);
if (!Number.isFinite(clockFactor) || clockFactor < 1 || clockFactor > 600) {
  console.error('--clock takes a factor from 1 to 600, e.g. --clock 60 (an hour plays in a minute)');
  process.exit(2);
}
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
/** The latency day at 500 listings, also with --quick (fewer have too few shared SKUs); calls are extrapolated to 5,000. */
const latencyDay = (): Promise<LatencyDayResult> =>
  benchLatencyDay({ listings: 500, latencyMs, factor: clockFactor, validator: createOpenApiValidator(), log: (line) => console.error(line) });

if (values['cli-startup'] === true) {
  console.log(formatTable([cliStartupRow(benchCliStartup())]));
  process.exit(0);
}

if (values['latency-day'] === true) {
  const loadAtStart = os.loadavg();
  console.error(`Latency day: ${QPS} QPS, ${PER_DAY.toLocaleString('en-US')}/day, ${latencyMs} ms simulated latency, clock ×${clockFactor}`);
  const day = await latencyDay();
  const table = formatTable(latencyRows(day));
  console.log(`\n${table}\n\n- Machine load (1-min average, ${os.cpus().length} CPUs): ${loadAtStart[0]!.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at the end.\n- Whole run: ${(day.wallMs / 1000).toFixed(0)} s.`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latency-day.json'), `${JSON.stringify({ startedAt: new Date().toISOString(), day, table }, null, 2)}\n`);
  process.exit(0);
}

const plan = quick
  ? { sizes: [{ listings: 50, naive: true }, { listings: 500, naive: false }], changes: 10, mirrorReps: 1, historyRows: 2_000 }
  : { sizes: [{ listings: 500, naive: true }, { listings: 5_000, naive: false }], changes: 50, mirrorReps: 5, historyRows: 10_000 };
const log = (line: string): void => console.error(line);

if (values.sizes !== undefined) {
  const wanted = values.sizes.split(',').map(Number);
  if (wanted.some((size) => !Number.isInteger(size) || size < 10)) {
    console.error('--sizes takes shop sizes separated by commas, e.g. --sizes 5000 or --sizes 500,5000');
    process.exit(2);
  }
  plan.sizes = wanted.map((listings, i) => ({ listings, naive: i === 0 && listings <= 500 }));
}

if (values['sync-only'] === true) {
  // For iterating on the engine: the phases of each size and the core's peak memory, nothing else.
  const started = Date.now();
  const loadAtStart = os.loadavg();
  log(`Sync rows only: ${QPS} QPS, ${PER_DAY.toLocaleString('en-US')}/day, ${latencyMs} ms simulated latency`);
  const validator = createOpenApiValidator();
  const results: SizeResult[] = [];
  for (const size of plan.sizes) {
    log(`Shop of ${size.listings.toLocaleString('en-US')} listings:`);
    results.push(await benchSize({ listings: size.listings, latencyMs, changes: plan.changes, naive: size.naive, preview: values.preview === true, validator, log }));
  }
  const rows: Row[] = [];
  for (const size of results) rows.push(...sizeRows(size, undefined));
  results.forEach((size) => rows.push(memoryRow(size, size.listings >= 5_000)));
  console.log(`\n${formatTable(rows)}\n\n- Machine load (1-min average, ${os.cpus().length} CPUs): ${loadAtStart[0]!.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at the end.\n- Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  process.exit(0);
}

const started = Date.now();
const loadAtStart = os.loadavg();
log(`Art Sync benchmark${quick ? ' (quick)' : ''}: ${QPS} QPS, ${PER_DAY.toLocaleString('en-US')}/day, ${latencyMs} ms simulated latency, ${os.cpus().length} CPUs, Node ${process.versions.node}`);
const validator = createOpenApiValidator();

const sizes: SizeResult[] = [];
const mirrors: MirrorResult[] = [];
for (const size of plan.sizes) {
  log(`Shop of ${size.listings.toLocaleString('en-US')} listings:`);
  sizes.push(await benchSize({ listings: size.listings, latencyMs, changes: plan.changes, naive: size.naive, validator, log }));
  log(`  ${size.listings} · mirror apply vs raw insert (${plan.mirrorReps}×)`);
  mirrors.push(await benchMirror({ listings: size.listings, repetitions: plan.mirrorReps, validator }));
}
log(`Server link: ${plan.historyRows.toLocaleString('en-US')} history rows`);
const server = await benchServer({ rows: plan.historyRows, log });
log(`Latency day: three schedules side by side, clock ×${clockFactor}`);
const day = await latencyDay();
log('CLI start-up: art-sync status --json vs node -e 0');
const cliStartup = benchCliStartup();

const rows: Row[] = [];
sizes.forEach((size, i) => rows.push(...sizeRows(size, mirrors[i])));
sizes.forEach((size, i) => rows.push(memoryRow(size, i === sizes.length - 1)));
rows.push(serverRow(server));
rows.push(cliStartupRow(cliStartup));
rows.push(...latencyRows(day));

const perDay = sizes.map((s) => `${s.listings.toLocaleString('en-US')} listings: ${s.perDay.usedBySimulator} calls${s.perDay.raised ? ` (perDay raised to ${s.perDay.limit})` : ''}`);
const notes = [
  `Daily limit: ${sizes.some((s) => s.perDay.raised) ? 'raised where noted' : `${PER_DAY.toLocaleString('en-US')}/day, not raised`} — calls per simulator: ${perDay.join('; ')}.`,
  'Calls are counted by the simulator per operationId (429s listed apart, they are not counted by Etsy either); each phase starts after a 1.1 s pause so the rate window is empty.',
  'The core runs in its own process (bench/core-worker.ts) so its memory excludes the simulator.',
  `Machine load (1-min average, ${os.cpus().length} CPUs): ${loadAtStart[0]!.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at the end; above the CPU count, timings include waiting for other work.`,
];
const durationMs = Date.now() - started;
const table = formatTable(rows);
console.log(`\n${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n- Whole run: ${(durationMs / 1000).toFixed(0)} s${quick ? ' (quick)' : ''}.`);

fs.mkdirSync(resultsDir, { recursive: true });
const out = {
  startedAt: new Date(started).toISOString(),
  durationMs,
  quick,
  machine: { loadAverage: { start: loadAtStart, end: os.loadavg() }, node: process.versions.node, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null },
  limits: { perSecond: QPS, perDay: PER_DAY, latencyMs },
  sizes,
  mirror: mirrors,
  server,
  cliStartup,
  latencyDay: day,
  rows,
  notes,
  table,
};
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
log(`Wrote ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
