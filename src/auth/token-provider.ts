/**
 * The token-acquisition contract the Defender client codes against, plus its error type.
 * Implementations: {@link createStaticTokenProvider} (demo mode) and `createMsalTokenProvider` (msal-provider.ts).
 */

/** Options of {@link TokenProvider.getToken}. */
export interface GetTokenOptions {
  /** Bypass any cached token (use after the API answered 401). Concurrent forced calls share one request. */
  forceRefresh?: boolean;
  /** Stops waiting for the token: the call rejects with `signal.reason`; a shared request still completes. */
  signal?: AbortSignal;
}

/** Source of bearer tokens for the Defender API. */
export interface TokenProvider {
  /** Returns a bearer access token; cached until near expiry unless forceRefresh. */
  getToken(options?: GetTokenOptions): Promise<string>;
  /** Human-readable, secret-free description for logs, e.g. "client secret for app 1234… at https://login.microsoftonline.com". */
  readonly description: string;
}

/** Machine-readable failure classes of {@link TokenAcquisitionError}. */
export type TokenErrorCode =
  /** The authority rejected the app's identity or credential (wrong/expired secret, unknown app, bad assertion). */
  | 'TOKEN_INVALID_CLIENT'
  /** The authority could not be reached (DNS, connection refused, TLS, timeout). */
  | 'TOKEN_AUTHORITY_UNREACHABLE'
  /** The authority answered success but without an access token. */
  | 'TOKEN_EMPTY'
  /** The certificate credential could not be loaded (missing file, no certificate/key, wrong password). */
  | 'TOKEN_CERTIFICATE_INVALID'
  /** Provider options are unusable (empty tenant/client id, unparsable authority host). */
  | 'TOKEN_CONFIG_INVALID'
  /** Anything else: other OAuth errors (invalid_scope, server_error, client-side throttling), unexpected failures. */
  | 'TOKEN_FAILED';

/** Optional, secret-free diagnostics carried by {@link TokenAcquisitionError}. */
export interface TokenErrorDetails {
  /** OAuth `error` value (e.g. "invalid_client") or msal error code. */
  upstreamError?: string;
  /** Entra AADSTS numbers found in the response, e.g. [7000215]. */
  aadstsCodes?: number[];
  /** HTTP status of the failed response, when known. */
  status?: number;
}

/**
 * Failure to obtain a token. The message is built by us, never copied from upstream: it never contains the
 * secret, client assertion, private key, password or the authority's response body, but keeps AADSTS numbers.
 * The raw msal error is deliberately NOT attached as `cause` because its message embeds the response body.
 */
export class TokenAcquisitionError extends Error {
  override readonly name: string = 'TokenAcquisitionError';
  readonly upstreamError: string | undefined;
  readonly aadstsCodes: number[];
  readonly status: number | undefined;

  /**
   * @param code - failure class
   * @param message - secret-free message
   * @param details - sanitized upstream diagnostics
   */
  constructor(
    readonly code: TokenErrorCode,
    message: string,
    details: TokenErrorDetails = {},
  ) {
    super(message);
    this.upstreamError = details.upstreamError;
    this.aadstsCodes = details.aadstsCodes ?? [];
    this.status = details.status;
  }
}

/**
 * A provider that returns whatever `getToken` yields, without caching (the callback decides). Used for demo mode,
 * where the in-process emulator mints tokens.
 * @param getToken - returns the current token; an empty string is reported as TOKEN_EMPTY
 * @param description - secret-free description for logs
 */
export function createStaticTokenProvider(getToken: () => string, description: string): TokenProvider {
  return {
    description,
    async getToken(options) {
      options?.signal?.throwIfAborted();
      const token = getToken();
      if (!token)
        throw new TokenAcquisitionError('TOKEN_EMPTY', `Token source "${description}" returned no token`);
      return token;
    },
  };
}
