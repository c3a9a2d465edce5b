import { z } from 'zod';
import { MAX_QUANTITY } from './quantity';

/**
 * Every setting a shop owner can change, with its validation and default. The CLI (`config set`), the
 * window (IPC) and the store all validate through these schemas, so a bad value is refused where it
 * enters and never stored.
 */
const MINUTE = 60_000;

/** The watch interval choices: about a minute (adaptive), 5, 15, 60 minutes, off. */
export const WATCH_INTERVAL_CHOICES: readonly number[] = [1, 5, 15, 60, 0];
const WATCH_INTERVAL_MESSAGE = 'must be 1 (about a minute), 5, 15, 60, or 0 (off)';

const intervalMinutes = z
  .number()
  .int('must be a whole number of minutes')
  .min(5, 'must be at least 5 minutes')
  .max(7 * 24 * 60, 'must be at most 7 days');

export const settingsSchema = z.object({
  /** Product sync (mirror refresh) interval in minutes. */
  productSyncIntervalMinutes: intervalMinutes.default(120),
  productSyncEnabled: z.boolean().default(true),
  /** Inventory sync (merge and push) interval in minutes. */
  inventorySyncIntervalMinutes: intervalMinutes.default(60),
  inventorySyncEnabled: z.boolean().default(true),
  /**
   * How often to check Etsy for new sales (docs/SYNC.md "Watching for sales"): 1 = about a minute
   * (recommended; faster just after a sale, slower when the day's budget runs low), 5, 15 or 60
   * minutes, 0 = off (the scheduled syncs alone).
   */
  watchIntervalMinutes: z
    .number({ error: WATCH_INTERVAL_MESSAGE })
    .refine((value) => WATCH_INTERVAL_CHOICES.includes(value), WATCH_INTERVAL_MESSAGE)
    .default(1),
  /** Safety stock kept back from Etsy (Etsy shows stock − buffer). */
  buffer: z.number().int('must be a whole number').min(0, 'cannot be negative').max(999).default(0),
  /** Push catalog prices to Etsy (off by default: prices are usually set on Etsy). */
  pushPrices: z.boolean().default(false),
  /** Which side is the starting point for SKUs that have never been synced. */
  firstSyncSource: z.enum(['etsy', 'catalog']).default('etsy'),
  /** OAuth redirect URI registered in the Etsy app. Loopback only: Art Sync listens on it. */
  redirectUri: z
    .string()
    .refine((value) => checkRedirectUri(value) === null, {
      error: (issue) => `cannot be used: ${checkRedirectUri(String(issue.input)) ?? 'it is not valid'}`,
    })
    .default('http://localhost:3003/oauth/redirect'),
  startAtLogin: z.boolean().default(false),
  notifySyncErrors: z.boolean().default(true),
  notifyAttention: z.boolean().default(true),
  notifySyncSummary: z.boolean().default(false),
  /** Server link (Art Management Tool Postgres). The password lives in the keychain, never here. */
  serverUrl: z
    .string()
    .refine((value) => checkServerUrl(value) === null, { error: (issue) => checkServerUrl(String(issue.input)) ?? 'is not valid' })
    .default(''),
  serverTlsMode: z.enum(['disable', 'prefer', 'require', 'verify-full']).default('prefer'),
  serverEnabled: z.boolean().default(false),
  /** A SKU with this many or fewer in stock (but not sold out) is low; 0 = off. A variant's own threshold wins. */
  notifyLowStock: z.boolean().default(true),
  lowStockThreshold: z.number().int('must be a whole number').min(0, 'cannot be negative').max(MAX_QUANTITY).default(2),
});

export type Settings = z.infer<typeof settingsSchema>;

/**
 * A partial settings change. Not `settingsSchema.partial()`: zod 4 applies `.default()` inside
 * `.optional()`, so a partial parse would fill in (and so reset) every setting not sent.
 */
export const settingsUpdateSchema = z
  .object(
    Object.fromEntries(
      Object.entries(settingsSchema.shape).map(([key, field]) => [key, (field as z.ZodDefault<z.ZodType>).unwrap().optional()]),
    ),
  )
  .strict() as unknown as z.ZodType<
  Partial<Settings>,
  Partial<Settings>
>;

/** The URL with its password (if any) replaced by ***. */
export function redactUrlPassword(value: string): string {
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
  }
}

/**
 * Why a server URL is not acceptable, or null when it is (empty = no server). The password never goes
 * in the URL: settings are stored in plain text, so it belongs in the keychain
 * (`art-sync server set-password`).
 */
export function checkServerUrl(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL like postgres://USER@HOST:5432/DATABASE';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'must start with postgres:// (like postgres://USER@HOST:5432/DATABASE)';
  if (url.password !== '') {
    return 'must not contain a password (settings are not secret); remove it from the URL and run "art-sync server set-password"';
  }
  if (url.hostname === '') return 'must name the server host (postgres://USER@HOST:5432/DATABASE)';
  if (url.search !== '' || url.hash !== '') return 'must not have ?options; TLS is set with serverTlsMode';
  return null;
}
/**
 * Why a redirect URI cannot be used, or null when it can: http(s) on a loopback host (Art Sync's
 * listener binds it, never a public address), no user name, query or fragment. The one rule for
 * `config set`, the window and `connect --redirect-uri` (etsy/oauth/redirect-uri.ts parses with it).
 */
export function checkRedirectUri(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    return 'it is not a valid web address (use http://localhost:3003/oauth/redirect)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'it must start with http://';
  if (url.username || url.password) return 'it must not contain a user name or password';
  if (url.search || url.hash || uri.includes('?') || uri.includes('#')) return 'it must not contain ? or #';
  if (loopbackBindHost(url.hostname) === null) return 'its host must be localhost, 127.0.0.1 or [::1]';
  return null;
}

/** The address the redirect listener binds for a loopback host name, or null when it is not loopback. */
export function loopbackBindHost(hostname: string): string | null {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return '127.0.0.1';
  if (host === '[::1]') return '::1';
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return host;
  return null;
}

export type SettingKey = keyof Settings;

export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export function intervalMs(minutes: number): number {
  return minutes * MINUTE;
}

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as string[]).includes(key);
}

/**
 * Parses a setting value typed as text (CLI) into its typed value, using the key's schema.
 * Returns a message naming the key when the value is not acceptable.
 */
export function parseSettingText(
  key: SettingKey,
  text: string,
): { ok: true; value: Settings[SettingKey] } | { ok: false; message: string } {
  const field = settingsSchema.shape[key];
  const defaultValue = DEFAULT_SETTINGS[key];
  let candidate: unknown = text;
  if (typeof defaultValue === 'number') {
    candidate = text.trim() === '' ? Number.NaN : Number(text);
  } else if (typeof defaultValue === 'boolean') {
    const lowered = text.trim().toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(lowered)) candidate = true;
    else if (['false', 'off', 'no', '0'].includes(lowered)) candidate = false;
    else return { ok: false, message: `${key} must be true or false, not "${text}"` };
  }
  const parsed = field.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A password typed into the URL by mistake must not be echoed back (terminal history, logs).
    const shown = key === 'serverUrl' ? redactUrlPassword(text) : text;
    return { ok: false, message: `${key} ${issue?.message ?? 'is not valid'} (got "${shown}")` };
  }
  return { ok: true, value: parsed.data as Settings[SettingKey] };
}
