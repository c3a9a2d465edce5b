import { settingsSchema, type Settings, type SettingKey } from '../shared/settings';

/**
 * The settings form's model: numbers are kept as typed text until saved, then every field is checked
 * with the same shared schema the core uses, so the window shows the core's rule next to the field.
 */
export type SettingsDraft = Omit<Settings, 'productSyncIntervalMinutes' | 'inventorySyncIntervalMinutes' | 'buffer' | 'lowStockThreshold'> & {
  productSyncIntervalMinutes: string;
  inventorySyncIntervalMinutes: string;
  buffer: string;
  lowStockThreshold: string;
};

export type FieldErrors = Partial<Record<SettingKey, string>>;

const NUMBER_KEYS = ['productSyncIntervalMinutes', 'inventorySyncIntervalMinutes', 'buffer', 'lowStockThreshold'] as const;

const FIELD_NAMES: Record<SettingKey, string> = {
  productSyncIntervalMinutes: 'The listings interval',
  productSyncEnabled: 'This setting',
  inventorySyncIntervalMinutes: 'The stock interval',
  inventorySyncEnabled: 'This setting',
  watchIntervalMinutes: 'The sales check interval',
  buffer: 'The buffer',
  pushPrices: 'This setting',
  firstSyncSource: 'The starting point',
  redirectUri: 'The redirect URI',
  startAtLogin: 'This setting',
  notifySyncErrors: 'This setting',
  notifyAttention: 'This setting',
  notifySyncSummary: 'This setting',
  serverUrl: 'The server address',
  serverTlsMode: 'The encryption mode',
  serverEnabled: 'This setting',
  lowStockThreshold: 'The low-stock level',
  notifyLowStock: 'This setting',
};

export function toDraft(settings: Settings): SettingsDraft {
  return {
    ...settings,
    productSyncIntervalMinutes: String(settings.productSyncIntervalMinutes),
    inventorySyncIntervalMinutes: String(settings.inventorySyncIntervalMinutes),
    buffer: String(settings.buffer),
    lowStockThreshold: String(settings.lowStockThreshold),
  };
}

export function validateDraft(draft: SettingsDraft): { ok: true; value: Settings; errors: FieldErrors } | { ok: false; errors: FieldErrors } {
  const candidate: Record<string, unknown> = { ...draft };
  for (const key of NUMBER_KEYS) {
    const text = draft[key].trim();
    candidate[key] = text === '' ? Number.NaN : Number(text);
  }
  const serverUrl = draft.serverUrl.trim();
  candidate.serverUrl = serverUrl;
  const errors: FieldErrors = {};
  for (const key of Object.keys(settingsSchema.shape) as SettingKey[]) {
    const parsed = settingsSchema.shape[key].safeParse(candidate[key]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const number = NUMBER_KEYS.includes(key as (typeof NUMBER_KEYS)[number]);
      const message = number && Number.isNaN(candidate[key]) ? 'must be a number' : (issue?.message ?? 'is not valid');
      errors[key] = `${FIELD_NAMES[key]} ${message}.`;
    }
  }
  if (draft.serverEnabled && serverUrl === '') errors.serverUrl = 'Enter the server address to use the server link.';
  if (serverUrl !== '' && !/^postgres(ql)?:\/\//i.test(serverUrl)) errors.serverUrl = 'The server address starts with postgres://';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: settingsSchema.parse(candidate), errors };
}

/** Only the keys whose value changed, so a save never rewrites what the owner did not touch. */
export function diffSettings(saved: Settings, next: Settings): Partial<Settings> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(next) as SettingKey[]) {
    if (next[key] !== saved[key]) changes[key] = next[key];
  }
  return changes as Partial<Settings>;
}
