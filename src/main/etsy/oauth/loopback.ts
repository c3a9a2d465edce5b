import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../../shared/errors';
import { judgeCallback } from './callback';
import { parseRedirectUri } from './redirect-uri';

export interface LoopbackListenerOptions {
  redirectUri: string;
  expectedState: string;
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface LoopbackListener {
  /** The bound address (always a loopback address). */
  address(): AddressInfo;
  /**
   * Resolves with the authorization code from the first valid callback; rejects with OAUTH_FAILED
   * (Etsy reported an error), OAUTH_TIMEOUT or CANCELLED. The server is closed either way.
   */
  readonly code: Promise<string>;
  /** Stops listening (idempotent); a pending `code` rejects with CANCELLED. */
  close(): Promise<void>;
}

export const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;

/**
 * Listens on the loopback address of the redirect URI for exactly one valid OAuth callback.
 * Requests with a wrong or missing `state` get a 400 and the listener keeps waiting: a request from
 * anyone else must neither deliver a code nor end the user's flow. Resolves once the port is bound.
 */
export async function startLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  const target = parseRedirectUri(options.redirectUri);
  if (target.protocol !== 'http:') {
    throw new AppError('INVALID_INPUT', 'Art Sync can only listen on an http:// redirect address.', {
      action: 'Paste the redirected address instead, or use an http://localhost redirect address',
    });
  }
  options.signal?.throwIfAborted();

  let settled = false;
  let resolveCode!: (code: string) => void;
  let rejectCode!: (error: AppError) => void;
  const code = new Promise<string>((resolve, reject) => {
    resolveCode = resolve;
    rejectCode = reject;
  });
  // Callers that only close() must not see an unhandled rejection.
  code.catch(() => undefined);

  const server = createServer((req, res) => handle(req, res));
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  // Assigned once the port is bound; every reader runs later, from an event.
  let timer: NodeJS.Timeout | undefined = undefined;
  const onAbort = (): void => finish(new AppError('CANCELLED', 'Connecting Etsy was cancelled.'));

  function finish(outcome: string | AppError): void {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    // Preconnected browser sockets would otherwise hold the port until the headers timeout.
    server.closeIdleConnections();
    if (typeof outcome === 'string') resolveCode(outcome);
    else rejectCode(outcome);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://loopback.invalid');
    if (settled) return send(res, 410, 'This sign-in link has already been used', 'Art Sync is no longer waiting for Etsy.');
    if (req.method !== 'GET' || url.pathname !== target.path) return send(res, 404, 'Not found', 'There is nothing here.');

    const outcome = judgeCallback(url.searchParams, options.expectedState);
    switch (outcome.kind) {
      case 'foreign':
        return send(
          res,
          400,
          'Not connected',
          'This link does not belong to the connection Art Sync is waiting for. Start connecting from Art Sync and use the page it opens.',
        );
      case 'failed':
        send(res, 400, 'Not connected', outcome.error.message);
        return finish(outcome.error);
      case 'code':
        send(res, 200, 'Connected', 'Art Sync is connected. You can close this tab.');
        return finish(outcome.code);
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(error, target.port, target.uri));
    server.once('error', onError);
    server.listen({ host: target.bindHost, port: target.port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // After a successful bind an error is unexpected; end the flow instead of crashing the process.
  server.on('error', () => finish(new AppError('OAUTH_FAILED', 'The sign-in listener stopped unexpectedly.')));

  const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  timer = setTimeout(
    () =>
      finish(
        new AppError('OAUTH_TIMEOUT', `Etsy did not answer within ${describeDuration(timeoutMs)}, so Art Sync stopped waiting.`, {
          action: 'Connect Etsy again',
        }),
      ),
    timeoutMs,
  );
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const address = server.address() as AddressInfo;
  return {
    address: () => address,
    code,
    close: async () => {
      finish(new AppError('CANCELLED', 'Connecting Etsy was cancelled.'));
      server.closeAllConnections();
      await new Promise<void>((resolve) => (server.listening ? server.once('close', () => resolve()) : resolve()));
    },
  };
}

function listenError(error: NodeJS.ErrnoException, port: number, uri: string): AppError {
  if (error.code === 'EADDRINUSE') {
    return new AppError(
      'OAUTH_PORT_IN_USE',
      `Port ${port} on this computer is already in use, so Art Sync cannot receive Etsy's answer at ${uri}.`,
      { action: "Use the paste option: approve on Etsy, then paste the address your browser was sent to" },
    );
  }
  if (error.code === 'EACCES') {
    return new AppError('OAUTH_FAILED', `Art Sync is not allowed to listen on port ${port}.`, {
      action: 'Use a redirect address with a port above 1024, or the paste option',
    });
  }
  return new AppError('OAUTH_FAILED', `Art Sync could not listen for Etsy's answer at ${uri} (${error.code ?? 'unknown error'}).`, {
    action: 'Use the paste option',
  });
}

function describeDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${Math.max(1, Math.round(ms / 1000))} seconds`;
}

function send(res: ServerResponse, status: number, title: string, message: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Art Sync — ${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;margin:3em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The URL carries the authorization code; nothing on this page may send it anywhere.
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
