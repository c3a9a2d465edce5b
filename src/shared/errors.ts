/**
 * Error codes shared by the core, the CLI and the IPC boundary. A user-facing error has a code,
 * a sentence a shop owner understands, and (where one exists) the action that fixes it.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'UNKNOWN_SKU',
  'DATABASE_TOO_NEW',
  'DATABASE_ERROR',
  'MIGRATION_FAILED',
  'NOT_CONNECTED',
  'RECONNECT_ETSY',
  'ETSY_REJECTED',
  'ETSY_UNAVAILABLE',
  'RATE_LIMITED',
  'DAILY_BUDGET_EXHAUSTED',
  'NETWORK',
  'INSECURE_URL',
  'OAUTH_FAILED',
  'OAUTH_STATE_MISMATCH',
  'OAUTH_TIMEOUT',
  'KEYCHAIN_UNAVAILABLE',
  'SYNC_IN_PROGRESS',
  'WRITE_OUTCOME_UNKNOWN',
  'SERVER_UNREACHABLE',
  'SERVER_AUTH',
  'SERVER_SCHEMA',
  'SERVER_PERMISSION',
  'CANCELLED',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'OAUTH_PORT_IN_USE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** What the shop owner can do about it, e.g. "Reconnect Etsy". */
  action?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly action: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { action?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.action = options?.action;
  }

  toInfo(): ErrorInfo {
    return this.action === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, action: this.action };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Turns anything thrown into an ErrorInfo without leaking internals (stack, causes). */
export function toErrorInfo(value: unknown): ErrorInfo {
  if (isAppError(value)) return value.toInfo();
  return { code: 'INTERNAL', message: 'Something went wrong inside Art Sync.' };
}

/** The result envelope used across IPC and in the CLI's JSON errors. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
