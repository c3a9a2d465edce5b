import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { ConnectProgress } from '../../shared/ipc';
import { useApi, useLoad } from '../api/api-context';
import { errorInfo } from '../api/client';
import { CopyField } from './copy-field';
import { Field } from './field';

export interface Credentials {
  keystring: string;
  sharedSecret: string;
}

/** Field errors for the Etsy app credentials, checked before anything is sent. */
export function credentialErrors(credentials: Credentials): Partial<Record<keyof Credentials, string>> {
  const errors: Partial<Record<keyof Credentials, string>> = {};
  const keystring = credentials.keystring.trim();
  if (!keystring) errors.keystring = 'Enter the keystring of your Etsy app.';
  else if (/[\s:]/.test(keystring)) errors.keystring = 'The keystring has no spaces or colons. Copy it again from Etsy.';
  const secret = credentials.sharedSecret.trim();
  if (!secret) errors.sharedSecret = 'Enter the shared secret of your Etsy app.';
  else if (/\s/.test(secret)) errors.sharedSecret = 'The shared secret has no spaces. Copy it again from Etsy.';
  return errors;
}

/** The exact redirect URI to register in the Etsy app, with a Copy button. */
export function RedirectUriField() {
  const uri = useLoad((api) => api.invoke('etsy:redirectUri'), 'redirect-uri');
  if (!uri.data) return <p className="muted">{uri.error ? uri.error.message : 'Loading the redirect address…'}</p>;
  return (
    <CopyField
      label="Redirect URI to register on Etsy"
      name="redirectUri"
      value={uri.data.uri}
      hint="On Etsy’s “Your apps” page, add exactly this address as a callback URL of your app."
    />
  );
}

export function CredentialsFields(props: {
  value: Credentials;
  errors: Partial<Record<keyof Credentials, string>>;
  onChange(value: Credentials): void;
}) {
  return (
    <>
      <Field label="Keystring" error={props.errors.keystring} hint="Shown as “Keystring” for your app on Etsy.">
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="keystring"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={props.value.keystring}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(event) => props.onChange({ ...props.value, keystring: event.currentTarget.value })}
          />
        )}
      </Field>
      <Field label="Shared secret" error={props.errors.sharedSecret} hint="Kept in your system’s keychain, never in Art Sync’s files.">
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            name="sharedSecret"
            type="password"
            autoComplete="off"
            value={props.value.sharedSecret}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(event) => props.onChange({ ...props.value, sharedSecret: event.currentTarget.value })}
          />
        )}
      </Field>
    </>
  );
}

export type ConnectState =
  | { phase: 'idle' }
  | { phase: 'waiting' }
  | { phase: 'connected'; shopName: string }
  | { phase: 'failed'; error: ErrorInfo };

/**
 * Runs etsy:connect, which resolves when the owner approved on Etsy (by the loopback redirect or a
 * pasted address, see ConnectWaiting). "Open Etsy again" runs connect again: main replaces the
 * waiting attempt and opens Etsy once more.
 */
export function useEtsyConnect(onConnected?: (shopName: string) => void) {
  const api = useApi();
  const [state, setState] = useState<ConnectState>({ phase: 'idle' });
  const attempt = useRef(0);
  /** Set while etsy:connect is pending (a ref, so the unmount cleanup sees the latest value). */
  const waiting = useRef(false);
  const connected = useRef(onConnected);
  connected.current = onConnected;

  const connect = useCallback(
    async (credentials: Credentials) => {
      const mine = ++attempt.current;
      waiting.current = true;
      setState({ phase: 'waiting' });
      try {
        const shop = await api.invoke('etsy:connect', { keystring: credentials.keystring.trim(), sharedSecret: credentials.sharedSecret.trim() });
        if (mine !== attempt.current) return;
        waiting.current = false;
        setState({ phase: 'connected', shopName: shop.shopName });
        connected.current?.(shop.shopName);
      } catch (caught) {
        // A replaced attempt ends with CANCELLED; only the latest one speaks.
        if (mine !== attempt.current) return;
        waiting.current = false;
        setState({ phase: 'failed', error: errorInfo(caught) });
      }
    },
    [api],
  );

  const cancel = useCallback(async () => {
    try {
      await api.invoke('etsy:cancelConnect');
    } catch {
      // The connect call itself reports how it ended.
    }
  }, [api]);

  // Leaving the page while Etsy waits stops the flow (and frees the loopback port).
  useEffect(
    () => () => {
      if (waiting.current) void api.invoke('etsy:cancelConnect').catch(() => undefined);
    },
    [api],
  );

  return { state, connect, cancel };
}

/** How often the waiting card asks main for the sign-in address and the port's state. */
const PROGRESS_POLL_MS = 700;

/** What main knows while the connect waits (etsy:connectProgress), polled while the card shows. */
function useConnectProgress(): ConnectProgress | null {
  const api = useApi();
  const [progress, setProgress] = useState<ConnectProgress | null>(null);
  useEffect(() => {
    let stopped = false;
    const ask = async () => {
      try {
        const next = await api.invoke('etsy:connectProgress');
        if (!stopped) setProgress(next);
      } catch {
        // The next poll asks again; the connect call reports how it ended.
      }
    };
    void ask();
    const timer = window.setInterval(() => void ask(), PROGRESS_POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api]);
  return progress;
}

/**
 * "Waiting for Etsy…": the sign-in address with a Copy button (no browser opened, or a browser on
 * another device), and a field for the address Etsy sends the browser back to (the redirect port is
 * busy, or the browser is elsewhere). Either way the connect completes.
 */
export function ConnectWaiting(props: { onRetry(): void; onCancel(): void }) {
  const progress = useConnectProgress();
  return (
    <div className="card form">
      <div role="status" aria-live="polite">
        <p>
          <strong>Waiting for Etsy…</strong> Approve Art Sync in the browser window that opened. This window continues by itself.
        </p>
        {progress?.listenerProblem && (
          <div className="banner banner-warn">
            <p>{progress.listenerProblem} After you allow access on Etsy, paste the address your browser shows into the field below.</p>
          </div>
        )}
      </div>
      {progress?.authorizeUrl ? (
        <CopyField
          label="Etsy sign-in address"
          name="authorizeUrl"
          value={progress.authorizeUrl}
          hint="No browser window, or your browser is on another device? Copy this address and open it there."
        />
      ) : (
        <p className="muted">No browser window? Open Etsy again; it uses your default browser.</p>
      )}
      <PasteRedirectField />
      <div className="button-row">
        <button type="button" className="button" onClick={props.onRetry}>
          Open Etsy again
        </button>
        <button type="button" className="button-plain" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** "Paste the address Etsy sent you back to": checked by main; a wrong one says why and the wait goes on. */
function PasteRedirectField() {
  const api = useApi();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const submit = async () => {
    if (!value.trim()) {
      setProblem('Paste the whole address from your browser’s address bar first.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.invoke('etsy:pasteRedirect', { url: value.trim() });
      setTaken(result.accepted);
      setProblem(result.accepted ? null : result.message);
    } catch (caught) {
      setProblem(errorInfo(caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    // Not a <form>: the Settings page shows this card inside its own connect form.
    <div role="group" aria-label="Paste the address from Etsy">
      <Field
        label="Or paste the address Etsy sent you back to"
        error={problem ?? undefined}
        hint="After you allow access, your browser goes to an address starting with the redirect URI (…/oauth/redirect?code=…). If that page does not load, copy the whole address from the address bar."
      >
        {({ id, describedBy, invalid }) => (
          <div className="copy-row">
            <input
              id={id}
              name="pastedRedirect"
              type="text"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              value={value}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(event) => {
                setValue(event.currentTarget.value);
                setProblem(null);
              }}
              onKeyDown={(event) => {
                if (event.key !== 'Enter') return;
                event.preventDefault();
                void submit();
              }}
            />
            <button type="button" className="button" disabled={busy || taken} onClick={() => void submit()}>
              {taken ? 'Connecting…' : 'Use this address'}
            </button>
          </div>
        )}
      </Field>
    </div>
  );
}
