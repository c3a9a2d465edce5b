export const PAGES = [
  { id: 'status', label: 'Status' },
  { id: 'activity', label: 'Activity' },
  { id: 'attention', label: 'Needs attention' },
  { id: 'settings', label: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

/** The left navigation: a list of buttons, the current page marked with aria-current. */
export function Nav(props: { current: PageId; attention: number; onSelect(page: PageId): void }) {
  return (
    <nav aria-label="Pages">
      <ul className="nav-list">
        {PAGES.map((page) => (
          <li key={page.id}>
            <button
              type="button"
              className="nav-button"
              aria-current={page.id === props.current ? 'page' : undefined}
              onClick={() => props.onSelect(page.id)}
            >
              <span>{page.label}</span>
              {page.id === 'attention' && props.attention > 0 && (
                <span className="nav-count" aria-label={`${props.attention} open`}>
                  {props.attention}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
