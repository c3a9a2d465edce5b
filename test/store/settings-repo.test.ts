import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { openStore, type Store } from '../../src/main/store/open-store';
import { SettingsRepo } from '../../src/main/store/settings-repo';

describe('SettingsRepo', () => {
  let dir: string;
  let store: Store;
  let repo: SettingsRepo;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-settings-'));
    store = openStore({ dataDir: dir });
    repo = new SettingsRepo(store.sqlite);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts from the defaults and keeps what is changed', () => {
    expect(repo.get()).toEqual(DEFAULT_SETTINGS);
    repo.update({ buffer: 2, pushPrices: true });
    expect(new SettingsRepo(store.sqlite).get()).toEqual({ ...DEFAULT_SETTINGS, buffer: 2, pushPrices: true });
  });

  it('refuses an invalid value and stores nothing of that update', () => {
    expect(() => repo.update({ buffer: 3, inventorySyncIntervalMinutes: 1 })).toThrow(/inventorySyncIntervalMinutes must be at least 5 minutes/);
    expect(repo.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('falls back to the default for a stored value that is not valid any more, and says so', () => {
    store.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('buffer', '-4', 0), ('pushPrices', 'nope', 0)").run();
    expect(repo.get().buffer).toBe(0);
    expect(repo.problems()).toHaveLength(2);
  });
});
