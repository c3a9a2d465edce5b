import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { oneLine } from '../../shared/text';
import { redact } from './redact';
import type { SecretName, SecretStore } from './secret-store';

/** The service name every Art Sync entry is filed under in the OS keychain. */
export const KEYCHAIN_SERVICE = 'Art Sync';

/**
 * The part of keytar's API we use; tests pass a fake. Declared here rather than imported from keytar,
 * so the type check passes on a machine where `npm ci` skipped the optional keytar (no libsecret).
 */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** How keytar is loaded: Node's `require` by default; tests pass one that throws. */
export type RequireModule = (id: string) => unknown;

// keytar is CommonJS with a native part, and stays external in every bundle: a plain require finds
// it from this file (or from the bundle it ends up in) and keeps its type out of the type check.
const requireFromHere: RequireModule = createRequire(import.meta.url);

/**
 * Loads keytar if it is installed and its native module loads. keytar is an optional dependency
 * (so `npm ci` never fails on a machine without libsecret); without it we fall back to memory.
 */
export async function loadKeytar(requireModule: RequireModule = requireFromHere): Promise<{ keytar: KeytarLike } | { error: string }> {
  try {
    const mod = requireModule('keytar') as { default?: KeytarLike } & Partial<KeytarLike>;
    const keytar = mod.default ?? (mod as KeytarLike);
    if (typeof keytar.getPassword !== 'function' || typeof keytar.setPassword !== 'function') {
      return { error: 'the keytar module has an unexpected shape' };
    }
    return { keytar };
  } catch (error) {
    if (isKeytarMissing(error)) {
      return { error: 'the keychain module keytar is not installed (npm skips it where libsecret is missing: install the apt packages in the README and run npm ci again)' };
    }
    return { error: `keytar could not be loaded (${oneLine(errorText(error))})` };
  }
}

/** keytar itself is absent, as opposed to present but failing to load (e.g. a missing libsecret .so). */
function isKeytarMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.startsWith("Cannot find module 'keytar'");
}

/**
 * A stable per-data-directory prefix: the first 16 hex digits of sha256(realpath(dataDir)), so two
 * data directories never share tokens and a symlinked path finds the same entries. A directory that
 * does not exist yet is resolved through its nearest existing ancestor, so the namespace does not
 * change when the directory is created later.
 */
export function keychainNamespace(dataDir: string): string {
  return createHash('sha256').update(resolveReal(path.resolve(dataDir))).digest('hex').slice(0, 16);
}

function resolveReal(absolute: string): string {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(realpathSync.native(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(
    private readonly keytar: KeytarLike,
    private readonly namespace: string,
  ) {}

  /** The keychain account an entry is stored under, `<namespace>:<name>`. */
  account(name: SecretName): string {
    return `${this.namespace}:${name}`;
  }

  async get(name: SecretName): Promise<string | null> {
    try {
      return await this.keytar.getPassword(KEYCHAIN_SERVICE, this.account(name));
    } catch (error) {
      throw keychainError('read', name, error, []);
    }
  }

  async set(name: SecretName, value: string): Promise<void> {
    try {
      await this.keytar.setPassword(KEYCHAIN_SERVICE, this.account(name), value);
    } catch (error) {
      throw keychainError('save', name, error, [value]);
    }
  }

  async delete(name: SecretName): Promise<boolean> {
    try {
      return await this.keytar.deletePassword(KEYCHAIN_SERVICE, this.account(name));
    } catch (error) {
      throw keychainError('delete', name, error, []);
    }
  }
}

/**
 * Re-wraps a keytar/libsecret failure. The original error is not attached as `cause` (it could be
 * logged whole); only its message, scrubbed of the value being written, goes into ours.
 */
function keychainError(verb: string, name: SecretName, error: unknown, values: string[]): AppError {
  const detail = oneLine(redact(errorText(error), values));
  return new AppError(
    'KEYCHAIN_UNAVAILABLE',
    `The system keychain could not ${verb} the ${name} entry${detail ? ` (${detail})` : ''}.`,
    { action: 'Unlock the system keychain and try again' },
  );
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}
