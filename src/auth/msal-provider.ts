/**
 * Token provider over msal-node's ConfidentialClientApplication (client-credentials grant, secret or certificate).
 *
 * msal caches the token in memory and returns it until 5 minutes before expiry; `forceRefresh` maps to msal's
 * `skipCache`. On top of msal we add: lazy authority resolution that works for any OpenID host (see authority.ts),
 * one in-flight request per kind (a burst of callers makes one token request), sanitized errors, and routing of
 * all HTTP through an injectable fetch.
 */
import { type AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import { type AuthorityTarget, parseAuthorityHost, resolveMsalAuthority } from './authority.js';
import { createFetchNetworkClient, type FetchNetworkClient } from './fetch-network-client.js';
import {
  type AuthLogger,
  type ClientCredential,
  msalLoggerOptions,
  type PreparedCredential,
  prepareCredential,
} from './msal-config.js';
import { mapMsalError } from './msal-errors.js';
import { Singleflight, withAbort } from './singleflight.js';
import { type GetTokenOptions, TokenAcquisitionError, type TokenProvider } from './token-provider.js';

export type { AuthLogger, ClientCredential } from './msal-config.js';

/** Options of {@link createMsalTokenProvider}. */
export interface MsalProviderOptions {
  /** Directory (tenant) id or verified domain. */
  tenantId: string;
  /** Application (client) id of the app registration. */
  clientId: string;
  credential: ClientCredential;
  /**
   * e.g. https://login.microsoftonline.com, https://login.microsoftonline.us, or any OpenID authority such as
   * http://127.0.0.1:5555 (tests). A trailing slash, a path prefix or a trailing tenant segment are accepted.
   */
  authorityHost: string;
  /** e.g. https://api.securitycenter.microsoft.com/.default */
  scope: string;
  /** All HTTP msal does goes through this (custom INetworkModule), so tests can record every URL. */
  fetch?: typeof fetch;
  /** Receives token-acquisition info and msal warnings; never secrets or tokens. */
  logger?: AuthLogger;
  /** Timeout per HTTP request to the authority, in ms (default 30 000). */
  requestTimeoutMs?: number;
}

interface AppState {
  cca: ConfidentialClientApplication;
  /** False when built from guessed endpoints after a transient discovery failure. */
  definitive: boolean;
}

/**
 * Creates a provider for app-only tokens. Loads a certificate credential immediately (fails fast on a bad file or
 * password); the authority is contacted only on the first `getToken`.
 * @param options - tenant, client, credential, authority host, scope, fetch, logger
 * @throws TokenAcquisitionError TOKEN_CONFIG_INVALID / TOKEN_CERTIFICATE_INVALID (a CertificateError)
 */
export function createMsalTokenProvider(options: MsalProviderOptions): TokenProvider {
  for (const field of ['tenantId', 'clientId', 'scope'] as const) {
    if (!options[field]?.trim()) throw new TokenAcquisitionError('TOKEN_CONFIG_INVALID', `${field} is empty`);
  }
  return new MsalTokenProvider(options);
}

class MsalTokenProvider implements TokenProvider {
  readonly description: string;
  readonly #options: MsalProviderOptions;
  readonly #target: AuthorityTarget;
  readonly #credential: PreparedCredential;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #network: FetchNetworkClient;
  readonly #flights = new Singleflight<'cached' | 'forced', string>();
  #app: Promise<AppState> | undefined;
  /** After an empty token msal may have cached the empty result; bypass its cache on the next call. */
  #bypassCacheOnce = false;

  constructor(options: MsalProviderOptions) {
    this.#options = options;
    this.#target = parseAuthorityHost(options.authorityHost, options.tenantId);
    this.#credential = prepareCredential(options.credential, options.logger);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#network = createFetchNetworkClient(this.#fetch, this.#timeoutMs);
    this.description = `${this.#credential.label} for app ${shorten(options.clientId)} at ${this.#target.base}`;
  }

  async getToken(options?: GetTokenOptions): Promise<string> {
    options?.signal?.throwIfAborted();
    const force = options?.forceRefresh === true;
    // Cached lookups join a cached lookup; forced refreshes (e.g. after a burst of 401s) join a forced one.
    const shared = this.#flights.do(force ? 'forced' : 'cached', () => this.#acquire(force));
    return withAbort(shared, options?.signal);
  }

  async #acquire(force: boolean): Promise<string> {
    const state = await this.#getApp();
    let result: AuthenticationResult | null;
    try {
      result = await state.cca.acquireTokenByClientCredential({
        scopes: [this.#options.scope],
        skipCache: force || this.#bypassCacheOnce,
        // Never let an MSAL_FORCE_REGION env var trigger IMDS region discovery or regional endpoints.
        azureRegion: 'DisableMsalForceRegion',
      });
    } catch (err) {
      // Endpoints were guessed after a transient discovery failure: discover again next time.
      if (!state.definitive) this.#app = undefined;
      const { secrets } = this.#credential;
      throw mapMsalError(err, {
        authority: this.#target.base,
        lastFailure: this.#network.lastFailure(),
        secrets,
      });
    }
    if (!result?.accessToken) {
      this.#bypassCacheOnce = true;
      throw new TokenAcquisitionError(
        'TOKEN_EMPTY',
        `Authority ${this.#target.base} returned no access_token`,
      );
    }
    this.#bypassCacheOnce = false;
    if (!result.fromCache) {
      const expiresOn = result.expiresOn?.toISOString();
      this.#options.logger?.info({ authority: this.#target.base, expiresOn }, 'Acquired access token');
    }
    return result.accessToken;
  }

  /** Resolves the authority and builds msal once; a failed build is retried on the next call. */
  #getApp(): Promise<AppState> {
    this.#app ??= this.#buildApp().catch((err: unknown) => {
      this.#app = undefined;
      throw err;
    });
    return this.#app;
  }

  async #buildApp(): Promise<AppState> {
    const { logger, clientId } = this.#options;
    const warn = (obj: object, msg: string) => logger?.warn(obj, msg);
    const settings = await resolveMsalAuthority(this.#target, this.#fetch, this.#timeoutMs, warn);
    const { source, definitive, ...authority } = settings;
    logger?.info({ authority: this.#target.base, metadata: source }, 'Resolved token authority');
    try {
      const cca = new ConfidentialClientApplication({
        auth: { clientId, ...authority, ...this.#credential.auth },
        system: { networkClient: this.#network, loggerOptions: msalLoggerOptions(logger) },
      });
      return { cca, definitive };
    } catch (err) {
      throw mapMsalError(err, { authority: this.#target.base, secrets: this.#credential.secrets });
    }
  }
}

function shorten(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}
