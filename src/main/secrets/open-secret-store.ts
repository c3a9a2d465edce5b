import { randomBytes } from 'node:crypto';
import { MemorySecretStore } from './memory-secret-store';
import { KEYCHAIN_SERVICE, KeytarSecretStore, errorText, keychainNamespace, loadKeytar, type KeytarLike } from './keytar-secret-store';
import { oneLine } from '../../shared/text';
import { redact } from './redact';
import type { SecretStore } from './secret-store';

export interface OpenSecretStoreOptions {
  dataDir: string;
  /** false → use memory without touching the keychain (tests, `--no-keychain`). */
  preferKeychain: boolean;
  /** Injected in tests; defaults to a dynamic import of keytar. */
  loadKeytar?: () => Promise<{ keytar: KeytarLike } | { error: string }>;
  /**
   * How long the probe may take. A keychain that waits on an unlock prompt nobody can see would
   * otherwise hang the app; a real unlock prompt on a desktop gets this long to be answered.
   */
  probeTimeoutMs?: number;
}

export interface OpenedSecretStore {
  store: SecretStore;
  /**
   * null when the OS keychain is in use; otherwise a sentence for `status` and Settings, e.g.
   * "Secrets are kept in memory for this session because no system keychain is available (…)."
   */
  memoryReason: string | null;
}

/** The probe entry's name, outside the SecretName set so it can never clash with a real secret. */
const PROBE_ACCOUNT_SUFFIX = ':probe';

/**
 * Opens the OS keychain if it works here (proved by a set/get/delete of a probe entry, because on
 * Linux keytar loads fine and only fails at the first call when no Secret Service is running), and
 * otherwise a memory store plus the reason, so the user is told their secrets will not persist.
 */
export async function openSecretStore(options: OpenSecretStoreOptions): Promise<OpenedSecretStore> {
  if (!options.preferKeychain) {
    return { store: new MemorySecretStore(), memoryReason: memoryReason('the system keychain is turned off') };
  }
  const loaded = await (options.loadKeytar ?? loadKeytar)();
  if ('error' in loaded) return { store: new MemorySecretStore(), memoryReason: memoryReason(loaded.error) };

  const namespace = keychainNamespace(options.dataDir);
  const failure = await probeKeychain(loaded.keytar, namespace, options.probeTimeoutMs ?? 30_000);
  if (failure !== null) return { store: new MemorySecretStore(), memoryReason: memoryReason(failure) };
  return { store: new KeytarSecretStore(loaded.keytar, namespace), memoryReason: null };
}

function memoryReason(why: string): string {
  return `Secrets are kept in memory for this session because ${why}; you will need to connect Etsy again after Art Sync quits.`;
}

/** Returns null when the keychain works, else why not (one line, no secret values). */
export async function probeKeychain(keytar: KeytarLike, namespace: string, timeoutMs: number): Promise<string | null> {
  const service = KEYCHAIN_SERVICE;
  const account = `${namespace}${PROBE_ACCOUNT_SUFFIX}`;
  const value = randomBytes(16).toString('hex');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the system keychain did not answer within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    timer.unref();
  });
  const probe = (async (): Promise<string | null> => {
    try {
      await keytar.setPassword(service, account, value);
      const read = await keytar.getPassword(service, account);
      await keytar.deletePassword(service, account);
      return read === value ? null : 'the system keychain did not return what was stored in it';
    } catch (error) {
      // Typical on Linux: "Cannot autolaunch D-Bus without X11 $DISPLAY", "The name org.freedesktop.secrets
      // was not provided by any .service files", "Cannot create an item in a locked collection".
      return `no system keychain is available (${oneLine(redact(errorText(error), [value]))})`;
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
