export { connectEtsy, disconnectEtsy, type ConnectEtsyOptions, type ConnectEtsyResult } from './connect';
export { parseRedirectedUrl, judgeCallback, stateMatches, type CallbackOutcome } from './callback';
export { startLoopbackListener, DEFAULT_CALLBACK_TIMEOUT_MS, type LoopbackListener, type LoopbackListenerOptions } from './loopback';
export { buildAuthorizeUrl, createPkce, createState, s256Challenge, ETSY_SCOPES, type Pkce, type AuthorizeUrlInput } from './pkce';
export { DEFAULT_REDIRECT_URI, parseRedirectUri, sameRedirectTarget, type RedirectTarget } from './redirect-uri';
export {
  exchangeCode,
  refreshTokens,
  tokenUrlFor,
  userIdFromAccessToken,
  type TokenSet,
  type StoredAccessToken,
  type FetchLike,
} from './tokens';
export { TokenManager, parseStoredAccessToken, type AccessTokenProvider, type TokenManagerOptions } from './token-manager';
