import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/budget-child.ts', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-budget-'));

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function run(mode: 'first' | 'second'): { before: { usedToday: number; limitPerDay: number }; sent: number; errorCode?: string; after: { usedToday: number } } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, mode, dataDir], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`child ${mode} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as ReturnType<typeof run>;
}

describe('daily budget across a process restart', () => {
  it('a second process sees the first one’s calls and stops at the day’s limit', () => {
    const first = run('first');
    expect(first.before.usedToday).toBe(0);
    expect(first.sent).toBe(4);
    expect(first.errorCode).toBeUndefined();
    expect(first.after.usedToday).toBe(4);

    const second = run('second');
    expect(second.before).toMatchObject({ usedToday: 4, limitPerDay: 6 }); // limit learned from headers persisted too
    expect(second.sent).toBe(2); // only what was left; the restart refilled nothing
    expect(second.errorCode).toBe('DAILY_BUDGET_EXHAUSTED');
    expect(second.after.usedToday).toBe(6);
  });
});
