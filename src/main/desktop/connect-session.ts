/**
 * What the window needs while etsy:connect waits for the owner to approve on Etsy, so onboarding
 * always completes (docs/PRODUCT.md §6): Etsy's sign-in address to copy (the browser did not open, or
 * it runs on another device), why the loopback port is not listening (busy port), and the paste box
 * for "the address Etsy sent you back to". Plain Node, one per handler set; the connect flow itself
 * (state check, PKCE, token exchange) stays in src/main/etsy/oauth/connect.ts.
 *
 * The sign-in address carries the keystring as OAuth's public client_id — what any browser shows in
 * its address bar on Etsy's page — and never the shared secret or a token (docs/SECURITY.md).
 */
import { AppError } from '../../shared/errors';
import type { ConnectProgress, PasteRedirectResult } from '../../shared/ipc';
import type { ConnectRequest } from '../core-api';

type SessionHooks = Required<Pick<ConnectRequest, 'onAuthorizeUrl' | 'pasteUrl' | 'onPasteRejected' | 'onListenerUnavailable'>>;

export class ConnectSession {
  private attempt = 0;
  private waiting = false;
  private authorizeUrl: string | null = null;
  private listenerProblem: string | null = null;
  /** The connect flow waiting for a pasted address (null when it is not asking). */
  private asking: ((pasted: string) => void) | null = null;
  /** The refusal of the paste just handed over, if the flow refuses it. */
  private refused: AppError | null = null;

  /** Starts a new attempt (a second connect replaces the first): its hooks for core.connect. */
  begin(): { hooks: SessionHooks; end(): void } {
    const mine = ++this.attempt;
    this.waiting = true;
    this.authorizeUrl = null;
    this.listenerProblem = null;
    this.asking = null;
    this.refused = null;
    const current = () => mine === this.attempt;
    const hooks: SessionHooks = {
      onAuthorizeUrl: (url) => {
        if (current()) this.authorizeUrl = url;
      },
      onListenerUnavailable: (error) => {
        if (current()) this.listenerProblem = error.message;
      },
      onPasteRejected: (error) => {
        if (current()) this.refused = error;
      },
      pasteUrl: (signal) =>
        new Promise<string>((resolve, reject) => {
          const stop = () => {
            if (current()) this.asking = null;
            reject(new AppError('CANCELLED', 'Connecting Etsy was cancelled.'));
          };
          if (signal.aborted) return stop();
          signal.addEventListener('abort', stop, { once: true });
          this.asking = (pasted) => {
            signal.removeEventListener('abort', stop);
            this.asking = null;
            resolve(pasted);
          };
        }),
    };
    return {
      hooks,
      end: () => {
        if (!current()) return;
        this.waiting = false;
        this.asking = null;
      },
    };
  }

  progress(): ConnectProgress {
    return { waiting: this.waiting, authorizeUrl: this.waiting ? this.authorizeUrl : null, listenerProblem: this.waiting ? this.listenerProblem : null };
  }

  /**
   * Hands a pasted address to the waiting connect. The flow checks it at once (in the promise jobs
   * that follow), so after one turn of the event loop it has either refused it or taken it; a taken
   * address ends in etsy:connect's own result.
   */
  async paste(pasted: string): Promise<PasteRedirectResult> {
    const asking = this.asking;
    if (!asking) {
      if (this.waiting) throw new AppError('INVALID_INPUT', 'Art Sync already has an address from Etsy and is finishing the connection.');
      throw new AppError('INVALID_INPUT', 'Art Sync is not waiting for Etsy right now.', { action: 'Connect Etsy first, then paste the address' });
    }
    this.refused = null;
    asking(pasted);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const refused = this.refused as AppError | null;
    this.refused = null;
    if (refused) return { accepted: false, message: refused.action ? `${refused.message} ${refused.action}.` : refused.message };
    return { accepted: true, message: null };
  }
}
