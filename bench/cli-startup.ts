/**
 * `art-sync status --json` on a new data folder against a bare `node -e 0`: wall time, CPU time and
 * peak RSS of each, the median of a few runs. Every run reports its own kernel figures
 * (process.resourceUsage) from a preload, so the numbers are the child's, not the bench's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StartupFigures {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
}

export interface CliStartupResult {
  runs: number;
  cli: StartupFigures;
  bareNode: StartupFigures;
  /** 'bundle' when dist/cli/art-sync.cjs ran; 'tsx' when bin/art-sync.js fell back to the sources. */
  path: 'bundle' | 'tsx';
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Peak RSS from /proc/self/status VmHWM where there is one: on Linux, getrusage's maxRSS of a spawned
// child starts at its parent's RSS at fork time (the high-water mark survives exec), so a child of the
// big bench process reported the bench's ~260 MB even for \`node -e 0\`.
const REPORTER = `process.on('exit', () => {
  const fs = require('node:fs');
  const usage = process.resourceUsage();
  let hwmKb = null;
  try { const m = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8')); if (m) hwmKb = Number(m[1]); } catch {}
  const bundle = Object.keys(require.cache).some((file) => file.endsWith('art-sync.cjs'));
  fs.writeFileSync(process.env.ART_SYNC_BENCH_REPORT, JSON.stringify({ usage, hwmKb, bundle }));
});
`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export function benchCliStartup({ runs = 5 }: { runs?: number } = {}): CliStartupResult {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-bench-startup-'));
  try {
    const reporter = path.join(temp, 'reporter.cjs');
    const report = path.join(temp, 'report.json');
    fs.writeFileSync(reporter, REPORTER);
    const measure = (args: string[], env: NodeJS.ProcessEnv): StartupFigures & { bundle: boolean } => {
      const started = performance.now();
      const result = spawnSync(process.execPath, ['-r', reporter, ...args], { cwd: root, env: { ...env, ART_SYNC_BENCH_REPORT: report }, encoding: 'utf8' });
      const wallMs = performance.now() - started;
      if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}: ${result.stderr.trim()}`);
      const { usage, hwmKb, bundle } = JSON.parse(fs.readFileSync(report, 'utf8')) as { usage: NodeJS.ResourceUsage; hwmKb: number | null; bundle: boolean };
      return { wallMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssBytes: (hwmKb ?? usage.maxRSS) * 1024, bundle };
    };
    // A new data folder per run: the first start (migrations included) is the one a user waits for.
    const cliEnv = { ...process.env, ART_SYNC_DEV: '', ART_SYNC_DATA_DIR: '' };
    const cli = Array.from({ length: runs }, (_, i) => measure(['bin/art-sync.js', 'status', '--json', '--data-dir', path.join(temp, `data-${i}`)], cliEnv));
    const bare = Array.from({ length: runs }, () => measure(['-e', '0'], process.env));
    const summarise = (list: StartupFigures[]): StartupFigures => ({
      wallMs: median(list.map((f) => f.wallMs)),
      cpuMs: median(list.map((f) => f.cpuMs)),
      peakRssBytes: median(list.map((f) => f.peakRssBytes)),
    });
    return { runs, cli: summarise(cli), bareNode: summarise(bare), path: cli.every((f) => f.bundle) ? 'bundle' : 'tsx' };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
