import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { ServerTestResult } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import { useApi, useLoad } from '../api/api-context';
import { errorInfo } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { EtsyConnectionSettings } from '../components/etsy-connection-settings';
import { CheckboxField, Field } from '../components/field';
import { FirstSyncSourceField } from '../components/first-sync-source';
import { ServerPasswordField } from '../components/server-password-field';
import { diffSettings, toDraft, validateDraft, type FieldErrors, type SettingsDraft } from '../settings-form';

/** Everything of docs/PRODUCT.md §8's Settings, saved through settings:update; errors shown next to each field. */
export function SettingsPage() {
  const loaded = useLoad((api) => api.invoke('settings:get'), 'settings');
  return (
    <section className="page" aria-labelledby="settings-heading">
      <header>
        <h2 id="settings-heading">Settings</h2>
      </header>
      <EtsyConnectionSettings />
      <ErrorBanner error={loaded.error} />
      {loaded.data && <SettingsForm initial={loaded.data} />}
    </section>
  );
}

export function SettingsForm(props: { initial: Settings }) {
  const api = useApi();
  const [saved, setSaved] = useState<Settings>(props.initial);
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(props.initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverTest, setServerTest] = useState<ServerTestResult | null>(null);

  useEffect(() => {
    setSaved(props.initial);
    setDraft(toDraft(props.initial));
  }, [props.initial]);

  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setDraft((previous) => ({ ...previous, [key]: value }));
    setNotice(null);
    // A fixed field loses its error at once; new errors appear on save.
    setErrors((previous) => {
      if (!previous[key]) return previous;
      const next = { ...previous };
      delete next[key];
      return next;
    });
  };

  const numberProps = { draft, errors, onChange: (key: NumberKey, value: string) => set(key, value) };

  /** Validates and saves the changed fields; resolves true when the form is saved. */
  const save = async (): Promise<boolean> => {
    const validation = validateDraft(draft);
    setErrors(validation.errors);
    setSaveError(null);
    if (!validation.ok) {
      setNotice(null);
      return false;
    }
    const changes = diffSettings(saved, validation.value);
    if (Object.keys(changes).length === 0) return true;
    setBusy(true);
    try {
      const updated = await api.invoke('settings:update', changes);
      setSaved(updated);
      setDraft(toDraft(updated));
      setNotice('Settings saved.');
      return true;
    } catch (caught) {
      setSaveError(errorInfo(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };

  const testServer = async () => {
    setServerTest(null);
    if (!(await save())) return;
    try {
      setServerTest(await api.invoke('server:test'));
    } catch (caught) {
      setServerTest({ ok: false, message: errorInfo(caught).message });
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Settings" noValidate>
      <fieldset>
        <legend>Sync</legend>
        <div className="field-row">
          <NumberSetting name="inventorySyncIntervalMinutes" label="Stock sync every (minutes)" hint="At least 5 minutes." min={5} {...numberProps} />
          <NumberSetting name="productSyncIntervalMinutes" label="Listings sync every (minutes)" hint="At least 5 minutes." min={5} {...numberProps} />
          <NumberSetting name="buffer" label="Safety buffer" hint="Etsy shows your stock minus this many." min={0} {...numberProps} />
        </div>
        <Field label="Check Etsy for new sales" error={errors.watchIntervalMinutes} hint="A sale reaches the catalog and your other listings soon after it is seen.">
          {({ id, describedBy }) => (
            <select
              id={id}
              name="watchIntervalMinutes"
              value={String(draft.watchIntervalMinutes)}
              aria-describedby={describedBy}
              onChange={(event) => set('watchIntervalMinutes', Number(event.currentTarget.value))}
            >
              <option value="1">About every minute (recommended)</option>
              <option value="5">Every 5 minutes</option>
              <option value="15">Every 15 minutes</option>
              <option value="60">Every hour</option>
              <option value="0">Off (only the scheduled syncs)</option>
            </select>
          )}
        </Field>
        <CheckboxField label="Sync stock automatically" checked={draft.inventorySyncEnabled} onChange={(value) => set('inventorySyncEnabled', value)} />
        <CheckboxField label="Refresh listings automatically" checked={draft.productSyncEnabled} onChange={(value) => set('productSyncEnabled', value)} />
        <CheckboxField
          label="Send catalog prices to Etsy"
          hint="Off: prices are set on Etsy and Art Sync never changes them."
          checked={draft.pushPrices}
          onChange={(value) => set('pushPrices', value)}
        />
      </fieldset>

      <fieldset>
        <legend>First sync of new items</legend>
        <FirstSyncSourceField value={draft.firstSyncSource} onChange={(value) => set('firstSyncSource', value)} />
      </fieldset>

      <fieldset>
        <legend>Server link</legend>
        <p className="muted">Optional: keep stock in step with your Art Management Tool server.</p>
        <CheckboxField label="Use the server link" checked={draft.serverEnabled} onChange={(value) => set('serverEnabled', value)} />
        <Field label="Server address" error={errors.serverUrl} hint="For example postgres://artsync@db.example.com:5432/art">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="serverUrl"
              type="url"
              spellCheck={false}
              value={draft.serverUrl}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(event) => set('serverUrl', event.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Encryption (TLS)" error={errors.serverTlsMode}>
          {({ id, describedBy }) => (
            <select
              id={id}
              name="serverTlsMode"
              value={draft.serverTlsMode}
              aria-describedby={describedBy}
              onChange={(event) => set('serverTlsMode', event.currentTarget.value as Settings['serverTlsMode'])}
            >
              <option value="verify-full">Required, certificate checked (safest)</option>
              <option value="require">Required</option>
              <option value="prefer">When the server offers it</option>
              <option value="disable">Off (only on your own network)</option>
            </select>
          )}
        </Field>
        <ServerPasswordField />
        <div className="button-row">
          <button type="button" className="button" onClick={() => void testServer()} disabled={busy || draft.serverUrl.trim() === ''}>
            Test connection
          </button>
          <span role="status" className={serverTest ? (serverTest.ok ? 'pill pill-ok' : 'pill pill-error') : undefined}>
            {serverTest?.message ?? ''}
          </span>
        </div>
      </fieldset>

      <fieldset>
        <legend>App</legend>
        <CheckboxField label="Start Art Sync when I log in" hint="It starts hidden, in the tray." checked={draft.startAtLogin} onChange={(value) => set('startAtLogin', value)} />
        <Field label="Redirect URI" error={errors.redirectUri} hint="Must match the callback URL registered in your Etsy app.">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="redirectUriSetting"
              type="url"
              spellCheck={false}
              value={draft.redirectUri}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(event) => set('redirectUri', event.currentTarget.value)}
            />
          )}
        </Field>
      </fieldset>

      <fieldset>
        <legend>Notifications</legend>
        <CheckboxField label="When a sync fails" checked={draft.notifySyncErrors} onChange={(value) => set('notifySyncErrors', value)} />
        <CheckboxField label="When something needs attention" checked={draft.notifyAttention} onChange={(value) => set('notifyAttention', value)} />
        <CheckboxField label="A summary after each sync" checked={draft.notifySyncSummary} onChange={(value) => set('notifySyncSummary', value)} />
        <CheckboxField label="When an item runs low" checked={draft.notifyLowStock} onChange={(value) => set('notifyLowStock', value)} />
        <NumberSetting
          name="lowStockThreshold"
          label="Low stock at or below"
          hint="An item in stock with this many or fewer is low (0 = off). An item can have its own level on the Catalog page."
          min={0}
          {...numberProps}
        />
      </fieldset>

      <ErrorBanner error={saveError} />
      {Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          Some settings need fixing before they can be saved.
        </p>
      )}
      <div className="button-row form-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <span role="status" className="muted">
          {notice ?? ''}
        </span>
      </div>
    </form>
  );
}

type NumberKey = 'inventorySyncIntervalMinutes' | 'productSyncIntervalMinutes' | 'buffer' | 'lowStockThreshold';

/** A whole-number setting typed as text; the form validates it with the shared schema on save. */
function NumberSetting(props: {
  name: NumberKey;
  label: string;
  hint: string;
  min: number;
  draft: SettingsDraft;
  errors: FieldErrors;
  onChange(key: NumberKey, value: string): void;
}) {
  return (
    <Field label={props.label} error={props.errors[props.name]} hint={props.hint}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={props.name}
          type="number"
          min={props.min}
          step={1}
          value={props.draft[props.name]}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(event) => props.onChange(props.name, event.currentTarget.value)}
        />
      )}
    </Field>
  );
}
