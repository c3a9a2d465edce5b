/**
 * Where Art Sync keeps the few values that are secret: the Etsy keystring and shared secret, the
 * OAuth tokens and the optional server password. Nothing else is secret, and none of these values
 * may ever reach SQLite, logs, error messages, CLI output or IPC payloads.
 */
export const SECRET_NAMES = [
  'etsy.keystring',
  'etsy.sharedSecret',
  'etsy.refreshToken',
  /** JSON `{ token, expiresAt }` (expiresAt in ms epoch), see StoredAccessToken. */
  'etsy.accessToken',
  'server.password',
] as const;

export type SecretName = (typeof SECRET_NAMES)[number];

/** The etsy.* names; `disconnectEtsy` deletes exactly these. */
export const ETSY_SECRET_NAMES: readonly SecretName[] = SECRET_NAMES.filter((n) => n.startsWith('etsy.'));

export interface SecretStore {
  /** 'keychain' = the OS keychain (persists); 'memory' = this process only (lost on exit). */
  readonly kind: 'keychain' | 'memory';
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(name: SecretName): Promise<boolean>;
}

export function isSecretName(value: string): value is SecretName {
  return (SECRET_NAMES as readonly string[]).includes(value);
}
