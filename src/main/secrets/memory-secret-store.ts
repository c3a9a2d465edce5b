import type { SecretName, SecretStore } from './secret-store';

/**
 * Secrets held only for the life of this process: the fallback when no OS keychain is available
 * (never written to disk in plain text), and the fake used by tests.
 */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly #values = new Map<SecretName, string>();

  async get(name: SecretName): Promise<string | null> {
    return this.#values.get(name) ?? null;
  }

  async set(name: SecretName, value: string): Promise<void> {
    this.#values.set(name, value);
  }

  async delete(name: SecretName): Promise<boolean> {
    return this.#values.delete(name);
  }
}
