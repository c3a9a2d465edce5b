import { useState } from 'react';
import { Field } from './field';

/** A read-only value with a Copy button (the redirect URI to register, the authorize URL). */
export function CopyField(props: { label: string; value: string; hint?: string; name?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Field label={props.label} hint={props.hint}>
      {({ id, describedBy }) => (
        <div className="copy-row">
          <input
            id={id}
            name={props.name}
            type="text"
            className="mono"
            readOnly
            value={props.value}
            aria-describedby={describedBy}
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" className="button" onClick={copy}>
            Copy
          </button>
          <span role="status" className="muted">
            {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select the text and copy it' : ''}
          </span>
        </div>
      )}
    </Field>
  );
}
