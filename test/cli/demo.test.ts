import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'art-sync.js');

describe('art-sync demo', () => {
  it('runs the whole newcomer story against the simulated shop and explains each change', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-demo-test-'));
    try {
      const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, 'demo'], {
        encoding: 'utf8',
        env: { ...process.env, ART_SYNC_NO_KEYCHAIN: '1', ART_SYNC_DATA_DIR: '' },
        timeout: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const out = result.stdout;
      expect(out).toMatch(/Connected to the shop "[^"]+" \(40 listings\)/);
      expect(out).toMatch(/dry run/i);
      expect(out).toMatch(/First sync, taken from Etsy: new → \d+/);
      expect(out).toMatch(/has no SKU on Etsy/);
      // Two sales and a local edit, each explained on the second sync.
      expect(out.match(/Sold 1 on Etsy \(receipt \d+\): \d+ → \d+/g)).toHaveLength(2);
      expect(out).toMatch(/Etsy listing \d+ +Edited locally \+5: \d+ → \d+/);
      // With --data-dir the history stays for the user to read.
      const history = spawnSync(process.execPath, [bin, '--data-dir', dataDir, 'status', '--json'], { encoding: 'utf8' });
      expect(history.status).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
