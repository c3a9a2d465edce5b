import fs from 'node:fs';
import type { SecretName, SecretStore } from '../../src/main/secrets/secret-store';

/**
 * Stands in for the OS keychain in multi-process tests: one JSON file every process reads and writes,
 * so a token one process stores is what the next one reads (as with the real keychain). Test-only:
 * secrets in a plain file are never acceptable in the app.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(private readonly file: string) {}

  async get(name: SecretName): Promise<string | null> {
    return this.read()[name] ?? null;
  }

  async set(name: SecretName, value: string): Promise<void> {
    this.write({ ...this.read(), [name]: value });
  }

  async delete(name: SecretName): Promise<boolean> {
    const values = this.read();
    if (!(name in values)) return false;
    delete values[name];
    this.write(values);
    return true;
  }

  private read(): Partial<Record<SecretName, string>> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Record<SecretName, string>>;
    } catch {
      return {};
    }
  }

  private write(values: Partial<Record<SecretName, string>>): void {
    // Write-then-rename so a reader in another process never sees half a file.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(values));
    fs.renameSync(tmp, this.file);
  }
}
