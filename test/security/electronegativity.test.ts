import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Electronegativity (Doyensec) over the app's sources and built page, inside `npm test`. It exits 0
 * whatever it finds, so scripts/electronegativity.mjs prints its report as JSON and this test fails
 * on any HIGH or MEDIUM finding, and on any file it could not parse (an unscanned file proves nothing).
 */
const run = promisify(execFile);
const MARKER = 'ELECTRONEGATIVITY_RESULT ';

interface Report {
  input: string;
  errors: { file: string; message: string }[];
  issues: { id: string; severity: string; confidence: string; file: string; line: number | null; description: string }[];
}

async function scan(...inputs: string[]): Promise<Report[]> {
  const { stdout } = await run(process.execPath, ['scripts/electronegativity.mjs', ...inputs], { timeout: 150_000, maxBuffer: 32 * 1024 * 1024 });
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  expect(line, 'the scan printed no report').toBeDefined();
  return JSON.parse(line!.slice(MARKER.length)) as Report[];
}

const serious = (reports: Report[]) =>
  reports.flatMap((report) => report.issues.filter((issue) => issue.severity === 'HIGH' || issue.severity === 'MEDIUM'));

describe('Electronegativity', () => {
  it('finds no HIGH or MEDIUM issue in src/ and the built page', { timeout: 180_000 }, async () => {
    const reports = await scan();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.errors).toEqual([]);
    expect(serious(reports).map((i) => `${i.severity} ${i.id} ${i.file}:${i.line ?? ''} ${i.description}`)).toEqual([]);
  });

  it('would fail on an insecure window (the gate can fail)', { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-eng-bad-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'main.js'),
        `const { BrowserWindow, shell } = require('electron');
const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });
win.webContents.on('new-window', (e, url) => shell.openExternal(url));
`,
      );
      const ids = serious(await scan(dir)).map((issue) => issue.id);
      expect(ids).toEqual(
        expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
