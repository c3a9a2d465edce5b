/**
 * What the client needs from OAuth (src/main/etsy/oauth): a current access token, and a way to say
 * "Etsy rejected this one" so the next getAccessToken refreshes (single-flight lives over there).
 */
export interface TokenProvider {
  /** A valid access token; may refresh first. Throws AppError (e.g. RECONNECT_ETSY, NOT_CONNECTED). */
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /** Etsy answered 401 invalid_token for `token`: forget it unless a newer one already replaced it. */
  invalidate(token: string): void | Promise<void>;
}
