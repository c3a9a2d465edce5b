import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettingText, settingsSchema } from '../../src/shared/settings';

/** Issue 14: "about a minute (recommended) / 5 / 15 / 60 minutes / off". */
describe('watchIntervalMinutes', () => {
  it('defaults to about a minute', () => {
    expect(DEFAULT_SETTINGS.watchIntervalMinutes).toBe(1);
  });

  it.each(['1', '5', '15', '60', '0'])('accepts %s', (text) => {
    expect(parseSettingText('watchIntervalMinutes', text)).toEqual({ ok: true, value: Number(text) });
  });

  it.each(['2', '30', '-1', '1.5', 'soon', ''])('refuses %s with the choices named', (text) => {
    const parsed = parseSettingText('watchIntervalMinutes', text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/watchIntervalMinutes must be 1 \(about a minute\), 5, 15, 60, or 0 \(off\)/);
  });

  it('is validated when settings are parsed', () => {
    expect(settingsSchema.safeParse({ watchIntervalMinutes: 10 }).success).toBe(false);
  });
});
