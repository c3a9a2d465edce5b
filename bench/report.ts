/** Turns measurements into rows with targets (reported, never asserted) and prints them as a table. */
import type { CliStartupResult } from './cli-startup';
import { DAY_EDITS, DAY_LISTINGS, DAY_SALES, isSale, percentile, type LatencyDayResult } from './latency-day';
import type { MirrorResult } from './mirror-bench';
import type { ServerResult } from './server-result';
import { PER_DAY, QPS, type Calls, type SizeResult } from './sync-bench';

export type Verdict = 'PASS' | 'MISS' | 'info' | 'not measured';

export interface Row {
  size: string;
  measure: string;
  measured: string;
  reference: string;
  target: string;
  result: Verdict;
}

const fmtS = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const fmtMs = (ms: number): string => `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
const fmtX = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)}×`;
const n = (value: number): string => value.toLocaleString('en-US');
const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');

export function describeCalls(calls: Calls): string {
  const ops = Object.entries(calls.byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, count]) => `${op} ${count}`)
    .join(', ');
  return `${n(calls.total)} (${ops || 'none'})${calls.rateLimited ? `, ${calls.rateLimited}× 429` : ''}`;
}

/** `small` is the size whose naive sync is measured; the others get the computed naive count. */
export function sizeRows(size: SizeResult, mirror: MirrorResult | undefined): Row[] {
  const label = n(size.listings);
  const rows: Row[] = [];
  const full = size.full;
  rows.push({
    size: label,
    measure: 'Full sync: API calls',
    measured: describeCalls(full.calls),
    reference: `floor 1 + Σ⌈per state/100⌉ = ${size.floorCalls} (${Object.entries(size.listingsPerState).map(([s, c]) => `${s} ${n(c)}`).join(', ')})`,
    target: `≤ floor + 2 = ${size.floorCalls + 2}`,
    result: verdict(full.calls.total <= size.floorCalls + 2),
  });
  const fullRatio = full.ms / full.rateFloorMs;
  rows.push({
    size: label,
    measure: 'Full sync: wall time',
    measured: fmtS(full.ms),
    reference: `rate floor ${fmtS(full.rateFloorMs)} (${full.calls.total} calls / ${QPS} QPS) → ${fmtX(fullRatio)}`,
    target: '≤ 1.15 × rate floor',
    result: verdict(fullRatio <= 1.15),
  });
  if (size.naive.measured) {
    const ratio = size.naive.phase.calls.total / full.calls.total;
    rows.push({
      size: label,
      measure: 'Naive full sync (measured)',
      measured: `${describeCalls(size.naive.phase.calls)}, ${fmtS(size.naive.phase.ms)}`,
      reference: `${fmtX(ratio)} the engine's calls, ${fmtX(size.naive.phase.ms / full.ms)} its time`,
      target: '≥ 5× fewer calls than naive',
      result: verdict(ratio >= 5),
    });
  } else {
    const ratio = size.naive.calls / full.calls.total;
    rows.push({
      size: label,
      measure: 'Naive full sync (computed)',
      measured: `${n(size.naive.calls)} calls (1 + Σ⌈N/100⌉ + N), ≈ ${fmtS((size.naive.calls / QPS) * 1000)} at ${QPS} QPS`,
      reference: `${fmtX(ratio)} the engine's calls`,
      target: '≥ 50× fewer calls than naive',
      result: verdict(ratio >= 50),
    });
  }
  rows.push({
    size: label,
    measure: 'First inventory sync (baselines)',
    measured: `${describeCalls(size.firstInventory.calls)}, ${fmtS(size.firstInventory.ms)}`,
    reference: size.firstInventory.summary,
    target: '—',
    result: 'info',
  });
  rows.push({
    size: label,
    measure: 'Incremental sync, nothing changed',
    measured: `${describeCalls(size.unchanged.calls)}, ${fmtS(size.unchanged.ms)}`,
    reference: `rate floor ${fmtS(size.unchanged.rateFloorMs)}`,
    target: `≤ ${size.unchangedLimit} (one page per state + receipts, + 1 page per state over 100 listings)`,
    result: verdict(size.unchanged.calls.total <= size.unchangedLimit),
  });
  const changed = size.changed;
  rows.push({
    size: label,
    measure: `Incremental sync, ${changed.etsyChangedListings} changed on Etsy + ${changed.localEdits} local edits`,
    measured: `${describeCalls(changed.calls)}, ${fmtS(changed.ms)}`,
    reference: `rate floor ${fmtS(changed.rateFloorMs)}; ${changed.mismatches.length === 0 ? 'both sides agree on every changed SKU' : `${changed.mismatches.length} mismatches`}`,
    target: '—',
    result: changed.mismatches.length === 0 && changed.errors.length === 0 ? 'info' : 'MISS',
  });
  if (mirror) {
    const ratio = mirror.applyMs / mirror.rawInsertMs;
    rows.push({
      size: label,
      measure: 'Mirror apply vs raw insert',
      measured: `${fmtMs(mirror.applyMs)} (re-apply ${fmtMs(mirror.reapplyMs)}) for ${n(mirror.listings)} listings / ${n(mirror.products)} products in ${mirror.pages} pages`,
      reference:
        `raw prepared INSERT ${fmtMs(mirror.rawInsertMs)} → ${fmtX(ratio)} ` +
        `(CPU time ${fmtX(mirror.cpu.applyMs / mirror.cpu.rawInsertMs)}; vs raw incl. building rows ${fmtX(mirror.applyMs / mirror.rawInsertWithRowsMs)})`,
      target: '≤ 2 × raw insert',
      result: verdict(ratio <= 2),
    });
  }
  return rows;
}

export function memoryRow(size: SizeResult, withTarget: boolean): Row {
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const phase = (p: { memory: { sampledPeakRssBytes: number; processMaxRssBytes: number } }): string =>
    mb(Math.max(p.memory.sampledPeakRssBytes, p.memory.processMaxRssBytes));
  const peakMb = size.peakRssBytes / 1024 / 1024;
  return {
    size: n(size.listings),
    measure: 'Peak RSS of the core process over all its syncs',
    measured: `${mb(size.peakRssBytes)} (by the end of: full sync ${phase(size.full)}, first inventory ${phase(size.firstInventory)}, unchanged ${phase(size.unchanged)}, with changes ${phase(size.changed)})`,
    reference: 'kernel maxRSS of the worker (tsx-loaded, ~130 MB after connect) + 20 ms samples',
    target: withTarget ? '≤ 200 MB' : '—',
    result: withTarget ? verdict(peakMb <= 200) : 'info',
  };
}

export function serverRow(server: ServerResult): Row {
  if (!server.measured) {
    return { size: '—', measure: 'Server push of history rows', measured: `not measured: ${server.reason}`, reference: '—', target: '≤ 2 × raw insert', result: 'not measured' };
  }
  const ratio = server.pushMs / server.rawInsertMs;
  return {
    size: n(server.rows),
    measure: 'Server push of history rows (outbox relay → Postgres)',
    measured: `${fmtMs(server.pushMs)} in ${server.batches} batches (${server.target})`,
    reference: `raw batched INSERT ${fmtMs(server.rawInsertMs)} → ${fmtX(ratio)}`,
    target: '≤ 2 × raw insert',
    result: verdict(ratio <= 2),
  };
}

/** `art-sync status --json` start-up against a bare Node; goal ≤ 0.3 s and ≤ 70 MB (issue 11). */
export function cliStartupRow(startup: CliStartupResult): Row {
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const figures = (f: CliStartupResult['cli']): string => `${fmtS(f.wallMs)} wall, ${fmtS(f.cpuMs)} CPU, ${mb(f.peakRssBytes)}`;
  const ok = startup.cli.wallMs <= 300 && startup.cli.peakRssBytes <= 70 * 1024 * 1024;
  return {
    size: '—',
    measure: `CLI start-up: art-sync status --json, new data folder (${startup.path === 'bundle' ? 'prebuilt bundle' : 'tsx: bundle missing or stale, run npm run build:cli'})`,
    measured: figures(startup.cli),
    reference: `node -e 0: ${figures(startup.bareNode)} (median of ${startup.runs})`,
    target: '≤ 0.3 s and ≤ 70 MB',
    result: verdict(ok),
  };
}

export function formatTable(rows: readonly Row[]): string {
  const header: Row = { size: 'Listings', measure: 'Measure', measured: 'Measured', reference: 'Reference', target: 'Target', result: 'Result' as Verdict };
  const cols = ['size', 'measure', 'measured', 'reference', 'target', 'result'] as const;
  const lines = [header, ...rows].map((row) => `| ${cols.map((c) => String(row[c]).replaceAll('|', '/')).join(' | ')} |`);
  lines.splice(1, 0, `|${cols.map(() => '---').join('|')}|`);
  return lines.join('\n');
}

/** The latency day (bench/latency-day.ts): four rows per schedule; targets apply to the watch loop. */
export function latencyRows(day: LatencyDayResult): Row[] {
  const rows: Row[] = [];
  const s1 = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);
  for (const schedule of day.schedules) {
    const targeted = schedule.key === 'watch';
    const size = `${n(day.listings)} (day)`;
    const figures = (kinds: (k: string) => boolean, limitMs: number, what: string): Row => {
      const events = schedule.events.filter((e) => kinds(e.kind));
      const missing = events.filter((e) => e.scaledMs === null).length;
      const measured = events.flatMap((e) => (e.measuredMs === null ? [] : [e.measuredMs]));
      const scaled = events.flatMap((e) => (e.scaledMs === null ? [] : [e.scaledMs]));
      const p95 = percentile(scaled, 95);
      return {
        size,
        measure: `${schedule.label}: ${what} (${events.length} events)`,
        measured: `p50 ${s1(percentile(scaled, 50))}, p95 ${s1(p95)}, max ${s1(percentile(scaled, 100))} at the default interval${missing ? `; ${missing} not seen within the window` : ''}`,
        reference: `as measured (clock ×${day.factor}): p50 ${s1(percentile(measured, 50))}, p95 ${s1(percentile(measured, 95))}`,
        target: targeted ? `p95 ≤ ${limitMs / 1000} s` : '—',
        result: targeted ? verdict(missing === 0 && p95 !== null && p95 <= limitMs) : 'info',
      };
    };
    rows.push(figures(isSale, 75_000, 'sale → every side'));
    rows.push(figures((k) => k === 'edit', 20_000, 'local edit → every Etsy listing'));
    const how = day.server === 'PGlite' ? 'PGlite, which delivers no NOTIFY: the fallback poll' : 'PostgreSQL: LISTEN/NOTIFY';
    rows.push(figures((k) => k === 'server_edit', 20_000, `server edit → every Etsy listing (${how})`));
    const c = schedule.calls;
    const d = schedule.perDay;
    const share = (d.total / PER_DAY) * 100;
    rows.push({
      size,
      measure: `${schedule.label}: calls`,
      measured: `a day (${n(DAY_LISTINGS)} listings, ${DAY_SALES} sales, ${DAY_EDITS} edits): ${n(d.total)} = ${share.toFixed(0)} % of ${n(PER_DAY)} (polls ${n(d.polls)}, targeted reads ${n(d.targetedReads)}, writes ${n(d.writes)}, safety-net syncs ${n(d.safetyNet)})`,
      reference: `played ${(schedule.virtualMs / 60_000).toFixed(0)} min: polls ${c.polls}, targeted reads ${c.targetedReads} (server-edit runs ${c.serverEditReads}), writes ${c.writes}, safety-net ${c.safetyNet}${c.other ? `, unattributed ${c.other}` : ''} (runs: ${schedule.runs.polls} polls, ${schedule.runs.targeted} targeted of which ${schedule.runs.serverEdit} server-edit, ${schedule.runs.scheduledInventory} inventory jobs)`,
      target: targeted ? '≤ 40 % of the day' : '—',
      result: targeted ? verdict(share <= 40) : 'info',
    });
    rows.push({
      size,
      measure: `${schedule.label}: oversold units`,
      measured: `${schedule.oversold} of ${schedule.secondBuyers} second buyers of a sold original were sold a unit that no longer existed`,
      reference: 'second buyer 2–20 min after the first sale, on the other listing',
      target: targeted ? '0' : '—',
      result: targeted ? verdict(schedule.oversold === 0) : 'info',
    });
  }
  return rows;
}
