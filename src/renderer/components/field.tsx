import { useId, type ReactNode } from 'react';

/**
 * A labelled control with its hint and validation error next to it. The error is tied to the control
 * (aria-describedby, aria-invalid) so a screen reader reads it with the field.
 */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string | null | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.hint && (
        <p id={hintId} className="field-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its label to the right, as desktop settings panes show them. */
export function CheckboxField(props: { label: string; checked: boolean; onChange(checked: boolean): void; hint?: string; name?: string }) {
  const id = useId();
  return (
    <div className="field field-checkbox">
      <input id={id} name={props.name} type="checkbox" checked={props.checked} onChange={(event) => props.onChange(event.currentTarget.checked)} />
      <label htmlFor={id}>{props.label}</label>
      {props.hint && <p className="field-hint">{props.hint}</p>}
    </div>
  );
}
