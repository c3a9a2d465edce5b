import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { useApi } from '../api/api-context';
import { errorInfo } from '../api/client';
import { useStatus } from '../hooks/use-status';
import { ErrorBanner } from './error-banner';
import { ConnectWaiting, CredentialsFields, RedirectUriField, credentialErrors, useEtsyConnect, type Credentials } from './etsy-connect';

/** Settings › Etsy connection: the connected shop, disconnect, and (re)connect with the app's credentials. */
export function EtsyConnectionSettings() {
  const api = useApi();
  const { status, refresh } = useStatus();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [credentials, setCredentials] = useState<Credentials>({ keystring: '', sharedSecret: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof Credentials, string>>>({});
  const { state, connect, cancel } = useEtsyConnect(() => {
    setOpen(false);
    setCredentials({ keystring: '', sharedSecret: '' });
    void refresh();
  });

  const disconnect = async () => {
    setError(null);
    try {
      await api.invoke('etsy:disconnect');
      setConfirming(false);
      await refresh();
    } catch (caught) {
      setError(errorInfo(caught));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = credentialErrors(credentials);
    setFieldErrors(found);
    if (Object.keys(found).length === 0) void connect(credentials);
  };

  const shop = status?.shop ?? null;
  const connected = status?.connected ?? false;
  return (
    <fieldset aria-label="Etsy connection">
      <legend>Etsy connection</legend>
      <p>
        {shop ? (
          <>
            Shop <strong>{shop.name}</strong>{' '}
            <span className={connected ? 'pill pill-ok' : 'pill pill-error'}>{connected ? 'Connected' : 'Needs to be connected again'}</span>
          </>
        ) : (
          'No Etsy shop is connected.'
        )}
      </p>
      <ErrorBanner error={error} />
      {state.phase === 'connected' && !open && (
        <p role="status" className="muted">
          Connected to {state.shopName}.
        </p>
      )}
      {!open && (
        <div className="button-row">
          <button type="button" className="button" onClick={() => setOpen(true)}>
            {shop ? 'Reconnect' : 'Connect Etsy'}
          </button>
          {shop && !confirming && (
            <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
              Disconnect
            </button>
          )}
          {shop && confirming && (
            <>
              <button type="button" className="button-danger" onClick={() => void disconnect()}>
                Yes, disconnect
              </button>
              <button type="button" className="button-plain" onClick={() => setConfirming(false)}>
                Keep connected
              </button>
            </>
          )}
        </div>
      )}
      {open && (
        <form className="form" onSubmit={submit} aria-label="Connect Etsy" noValidate>
          <RedirectUriField />
          <CredentialsFields value={credentials} errors={fieldErrors} onChange={setCredentials} />
          {state.phase === 'waiting' ? (
            <ConnectWaiting onRetry={() => void connect(credentials)} onCancel={cancel} />
          ) : (
            <div className="button-row">
              <button type="submit" className="button-primary">
                Connect to Etsy
              </button>
              <button type="button" className="button-plain" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          )}
          {state.phase === 'failed' && <ErrorBanner error={state.error} />}
        </form>
      )}
    </fieldset>
  );
}
