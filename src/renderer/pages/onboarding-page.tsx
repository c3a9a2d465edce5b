import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { DryRunResult } from '../../shared/ipc';
import { useApi, useLoad } from '../api/api-context';
import { errorInfo } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { ExternalLink } from '../components/external-link';
import { ConnectWaiting, CredentialsFields, RedirectUriField, credentialErrors, useEtsyConnect, type Credentials } from '../components/etsy-connect';
import { FirstSyncSourceField } from '../components/first-sync-source';
import { attentionLabel, plural } from '../format';
import { useStatus } from '../hooks/use-status';

/** The first-run steps, in order. */
export const ONBOARDING_STEPS = [
  { id: 'app', label: 'Your Etsy app' },
  { id: 'connect', label: 'Connect' },
  { id: 'start', label: 'Starting point' },
  { id: 'review', label: 'Review' },
  { id: 'done', label: 'Done' },
] as const;
type StepId = (typeof ONBOARDING_STEPS)[number]['id'];

/**
 * First run: the Etsy app's keystring and shared secret (and the redirect URI to register), connect,
 * choose the first sync's starting point, see the dry run's explained changes, apply.
 */
export function OnboardingPage(props: { onDone(): void }) {
  const [step, setStep] = useState<StepId>('app');
  const [credentials, setCredentials] = useState<Credentials>({ keystring: '', sharedSecret: '' });
  const [shopName, setShopName] = useState<string | null>(null);
  const [dryRun, setDryRun] = useState<DryRunResult | null>(null);
  const index = ONBOARDING_STEPS.findIndex((candidate) => candidate.id === step);

  return (
    <section className="page" aria-labelledby="onboarding-heading">
      <header>
        <h2 id="onboarding-heading">Set up Art Sync</h2>
        <p className="page-lead">Connect your Etsy shop and check the first sync before anything changes.</p>
      </header>
      <ol className="steps" aria-label="Setup steps">
        {ONBOARDING_STEPS.map((candidate, position) => (
          <li key={candidate.id} className={position < index ? 'step step-done' : 'step'} aria-current={candidate.id === step ? 'step' : undefined}>
            {position + 1}. {candidate.label}
          </li>
        ))}
      </ol>
      {step === 'app' && <AppStep credentials={credentials} onChange={setCredentials} onNext={() => setStep('connect')} />}
      {step === 'connect' && (
        <ConnectStep
          credentials={credentials}
          onBack={() => setStep('app')}
          onConnected={(name) => {
            setShopName(name);
            // The secrets now live in the keychain; the window forgets them.
            setCredentials({ keystring: '', sharedSecret: '' });
            setStep('start');
          }}
        />
      )}
      {step === 'start' && (
        <StartStep
          shopName={shopName}
          onPlanned={(result) => {
            setDryRun(result);
            setStep('review');
          }}
        />
      )}
      {step === 'review' && dryRun && <ReviewStep dryRun={dryRun} onBack={() => setStep('start')} onApplied={() => setStep('done')} />}
      {step === 'done' && <DoneStep shopName={shopName} onDone={props.onDone} />}
    </section>
  );
}

/** Where an Etsy app is created and its keys are shown (docs/ETSY_SETUP.md, step 1). */
const ETSY_YOUR_APPS_URL = 'https://www.etsy.com/developers/your-apps';

function AppStep(props: { credentials: Credentials; onChange(value: Credentials): void; onNext(): void }) {
  const info = useLoad((api) => api.invoke('app:info'), 'info');
  const [errors, setErrors] = useState<Partial<Record<keyof Credentials, string>>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = credentialErrors(props.credentials);
    setErrors(found);
    if (Object.keys(found).length === 0) props.onNext();
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Your Etsy app" noValidate>
      <fieldset>
        <legend>Your Etsy app</legend>
        <p className="muted">
          Art Sync talks to Etsy through your own Etsy app. Create one on <ExternalLink href={ETSY_YOUR_APPS_URL}>Etsy’s “Your apps” page</ExternalLink>,
          register the redirect URI below, then copy the app’s keystring and shared secret here.
        </p>
        <p className="muted">
          An app for your own shop gets Etsy’s Seller API access: answer “Just myself or colleagues” and “not commercial” when you create
          it, and Etsy usually switches the key on within minutes. Nobody else’s server is involved.
          {info.data?.docsUrl && (
            <>
              {' '}
              <ExternalLink href={`${info.data.docsUrl}ETSY_SETUP.md`}>Step-by-step guide</ExternalLink>
            </>
          )}
        </p>
        <RedirectUriField />
        <CredentialsFields
          value={props.credentials}
          errors={errors}
          onChange={(value) => {
            // A field's error goes as soon as it is edited; the check runs again on Next.
            setErrors((previous) => ({
              ...(value.keystring === props.credentials.keystring && previous.keystring ? { keystring: previous.keystring } : {}),
              ...(value.sharedSecret === props.credentials.sharedSecret && previous.sharedSecret ? { sharedSecret: previous.sharedSecret } : {}),
            }));
            props.onChange(value);
          }}
        />
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button-primary">
          Next
        </button>
      </div>
    </form>
  );
}

function ConnectStep(props: { credentials: Credentials; onBack(): void; onConnected(shopName: string): void }) {
  const { state, connect, cancel } = useEtsyConnect(props.onConnected);
  return (
    <div className="form">
      <fieldset>
        <legend>Connect your shop</legend>
        <p className="muted">Art Sync opens Etsy in your browser. Sign in and allow access; this window continues by itself.</p>
        {state.phase === 'waiting' ? (
          <ConnectWaiting onRetry={() => void connect(props.credentials)} onCancel={cancel} />
        ) : (
          <div className="button-row">
            <button type="button" className="button-primary" onClick={() => void connect(props.credentials)}>
              Connect to Etsy
            </button>
            <button type="button" className="button-plain" onClick={props.onBack}>
              Back
            </button>
          </div>
        )}
        {state.phase === 'failed' && <ErrorBanner error={state.error} />}
      </fieldset>
    </div>
  );
}

function StartStep(props: { shopName: string | null; onPlanned(result: DryRunResult): void }) {
  const api = useApi();
  const [source, setSource] = useState<'etsy' | 'catalog'>('etsy');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.invoke('settings:update', { firstSyncSource: source });
      props.onPlanned(await api.invoke('sync:dryRun'));
    } catch (caught) {
      setError(errorInfo(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Starting point">
      {props.shopName && (
        <div className="banner banner-ok" role="status">
          <p>Connected to {props.shopName}.</p>
        </div>
      )}
      <fieldset>
        <legend>Where should the first sync start?</legend>
        <FirstSyncSourceField value={source} onChange={setSource} />
      </fieldset>
      <ErrorBanner error={error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Reading your shop…' : 'Show what would change'}
        </button>
      </div>
    </form>
  );
}

function ReviewStep(props: { dryRun: DryRunResult; onBack(): void; onApplied(): void }) {
  const api = useApi();
  const { refresh } = useStatus();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const { changes, attention, summary, errors } = props.dryRun;
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.invoke('sync:now');
      await refresh();
      props.onApplied();
    } catch (caught) {
      setError(errorInfo(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="form">
      <div className="card" aria-label="Dry run summary">
        <h3>Nothing has changed yet</h3>
        <p>
          {summary
            ? `The first sync would make ${plural(summary.changes, 'change')}` +
              (summary.catalogCreates ? `, add ${plural(summary.catalogCreates, 'item')} to your catalog` : '') +
              ` and list ${plural(summary.attention, 'item')} that ${summary.attention === 1 ? 'needs' : 'need'} your attention.`
            : 'Art Sync could not plan the first sync.'}
        </p>
        <div className="button-row">
          <button type="button" className="button-primary" onClick={apply} disabled={busy}>
            {busy ? 'Applying…' : 'Apply these changes'}
          </button>
          <button type="button" className="button-plain" onClick={props.onBack} disabled={busy}>
            Back
          </button>
        </div>
      </div>
      <ErrorBanner error={error} />
      {errors.map((item, position) => (
        <ErrorBanner key={position} error={{ code: 'INTERNAL', message: item.message }} />
      ))}
      <h3>Changes</h3>
      {changes.length === 0 ? (
        <p className="muted">No stock or price changes.</p>
      ) : (
        <ul className="change-list" aria-label="Planned changes">
          {changes.map((change, position) => (
            <li key={`${change.sku}-${change.side}-${change.field}-${position}`} className="change-item">
              <div className="item-meta">
                <span className="mono">{change.sku}</span>
                <span>{change.side === 'etsy' ? 'on Etsy' : 'in the catalog'}</span>
              </div>
              <p>{change.explanation}</p>
            </li>
          ))}
        </ul>
      )}
      {attention.length > 0 && (
        <>
          <h3>Needs attention</h3>
          <ul className="attention-list" aria-label="Planned attention items">
            {attention.map((item, position) => (
              <li key={`${item.kind}-${item.listingId ?? ''}-${item.sku ?? ''}-${position}`} className="attention-item">
                <div className="item-meta">
                  <span className="pill pill-warn">{attentionLabel(item.kind)}</span>
                  {item.sku && <span className="mono">{item.sku}</span>}
                </div>
                <p>{item.message}</p>
                <p className="attention-action">What to do: {item.action}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function DoneStep(props: { shopName: string | null; onDone(): void }) {
  return (
    <div className="form">
      <div className="banner banner-ok" role="status">
        <p>Art Sync is set up{props.shopName ? ` for ${props.shopName}` : ''}. It keeps syncing in the background while it runs.</p>
      </div>
      <div className="button-row">
        <button type="button" className="button-primary" onClick={props.onDone}>
          Open Status
        </button>
      </div>
    </div>
  );
}
