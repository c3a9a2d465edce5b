import type { ReactNode } from 'react';
import { useApi } from '../api/api-context';

/**
 * A link to a page outside Art Sync (Etsy, the project's help), opened in the OS browser through
 * app:openExternal, which only opens allowlisted addresses (src/main/desktop/trusted-url.ts). A real
 * <a href>, so it is reached and followed with the keyboard like any link.
 */
export function ExternalLink(props: { href: string; children: ReactNode }) {
  const api = useApi();
  return (
    <a
      href={props.href}
      onClick={(event) => {
        event.preventDefault();
        void api.invoke('app:openExternal', { url: props.href }).catch(() => undefined);
      }}
    >
      {props.children}
      <span className="visually-hidden"> (opens in your browser)</span>
    </a>
  );
}
