import type { ErrorInfo } from '../../shared/errors';

/** A user-facing error: the sentence and, when there is one, what fixes it. */
export function ErrorBanner(props: { error: ErrorInfo | null; onDismiss?: () => void }) {
  if (!props.error) return null;
  return (
    <div className="banner banner-error" role="alert">
      <p>
        {props.error.message}
        {props.error.action && <span className="banner-action"> {props.error.action}.</span>}
      </p>
      {props.onDismiss && (
        <button type="button" className="button-plain" onClick={props.onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
