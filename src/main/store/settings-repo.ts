import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { DEFAULT_SETTINGS, isSettingKey, settingsSchema, type SettingKey, type Settings } from '../../shared/settings';

/**
 * Settings as stored: one row per changed key, JSON value. Reads validate every stored value with the
 * shared schema; a value that no longer validates (written by another version, edited by hand) falls
 * back to the default instead of breaking the app, and is reported by `problems()`.
 */
export class SettingsRepo {
  private readonly sqlite: Database.Database;
  private readonly now: () => number;

  constructor(sqlite: Database.Database, now: () => number = Date.now) {
    this.sqlite = sqlite;
    this.now = now;
  }

  get(): Settings {
    return this.read().settings;
  }

  /** Stored values that were ignored because they are not valid any more. */
  problems(): string[] {
    return this.read().problems;
  }

  /** Validates and stores some settings in one transaction; nothing is stored if any is invalid. */
  update(changes: Partial<Settings>): Settings {
    const merged = { ...this.get(), ...changes };
    const parsed = settingsSchema.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue?.path.join('.') ?? 'setting';
      throw new AppError('INVALID_INPUT', `${key} ${issue?.message ?? 'is not valid'}.`);
    }
    const upsert = this.sqlite.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    const at = this.now();
    this.sqlite.transaction(() => {
      for (const key of Object.keys(changes)) {
        if (!isSettingKey(key)) throw new AppError('INVALID_INPUT', `There is no setting called "${key}".`);
        upsert.run(key, JSON.stringify(parsed.data[key]), at);
      }
    })();
    return parsed.data;
  }

  private read(): { settings: Settings; problems: string[] } {
    const rows = this.sqlite.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    const problems: string[] = [];
    for (const row of rows) {
      if (!isSettingKey(row.key)) continue;
      const key: SettingKey = row.key;
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        problems.push(`${key}: stored value is not readable; using the default.`);
        continue;
      }
      const parsed = settingsSchema.shape[key].safeParse(value);
      if (parsed.success) settings[key] = parsed.data;
      else problems.push(`${key}: stored value ${row.value} is not valid; using the default.`);
    }
    return { settings: settings as Settings, problems };
  }
}
