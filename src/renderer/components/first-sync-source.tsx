import { useId } from 'react';

const OPTIONS = [
  {
    value: 'etsy',
    label: 'Etsy',
    hint: 'Your Etsy stock is right today. The catalog takes Etsy’s numbers for items never synced before.',
  },
  {
    value: 'catalog',
    label: 'My catalog',
    hint: 'Your catalog is right today. Etsy gets the catalog’s numbers for items never synced before.',
  },
] as const;

/** Which side is the starting point for SKUs never synced: radio buttons with what each means. */
export function FirstSyncSourceField(props: { value: 'etsy' | 'catalog'; onChange(value: 'etsy' | 'catalog'): void }) {
  const name = useId();
  return (
    <div className="radio-group" role="radiogroup" aria-label="First sync starting point">
      {OPTIONS.map((option) => {
        const id = `${name}-${option.value}`;
        return (
          <div key={option.value} className="radio-option">
            <input
              id={id}
              type="radio"
              name={name}
              value={option.value}
              checked={props.value === option.value}
              aria-describedby={`${id}-hint`}
              onChange={() => props.onChange(option.value)}
            />
            <label htmlFor={id}>{option.label}</label>
            <p id={`${id}-hint`} className="field-hint">
              {option.hint}
            </p>
          </div>
        );
      })}
    </div>
  );
}
