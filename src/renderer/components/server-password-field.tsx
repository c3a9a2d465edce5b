import { useState, type KeyboardEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { useApi } from '../api/api-context';
import { errorInfo } from '../api/client';
import { ErrorBanner } from './error-banner';
import { Field } from './field';

/**
 * The server password, sent once through server:setPassword. Never pre-filled (no channel returns it)
 * and emptied after saving, so it does not linger in the page. It lives inside the settings form, so
 * Enter here saves the password rather than submitting the form.
 */
export function ServerPasswordField() {
  const api = useApi();
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (caught) {
      setError(errorInfo(caught));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      const result = await api.invoke('server:setPassword', { password });
      setPassword('');
      // The core's sentence: where it is kept (the keychain, or this session only).
      return result.message;
    });

  const forget = () =>
    run(async () => ((await api.invoke('server:clearPassword')).removed ? 'The saved password was forgotten.' : 'No password was saved.'));

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (password !== '' && !busy) void save();
  };

  return (
    <>
      <Field label="Server password" hint="Saved separately from the other settings; Art Sync never shows it again.">
        {({ id, describedBy }) => (
          <input
            id={id}
            name="serverPassword"
            type="password"
            autoComplete="off"
            spellCheck={false}
            maxLength={1024}
            value={password}
            aria-describedby={describedBy}
            onKeyDown={onKeyDown}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
              setNotice(null);
            }}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void save()} disabled={busy || password === ''}>
          Save password
        </button>
        <button type="button" className="link-button" onClick={() => void forget()} disabled={busy}>
          Forget saved password
        </button>
        <span role="status" className="muted">
          {notice ?? ''}
        </span>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </>
  );
}
