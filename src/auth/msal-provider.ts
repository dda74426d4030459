/**
 * Token provider over msal-node's ConfidentialClientApplication (client-credentials grant, secret or certificate).
 *
 * msal caches the token in memory and returns it until 5 minutes before expiry; `forceRefresh` maps to msal's
 * `skipCache`. On top of msal we add: lazy authority resolution that works for any OpenID host (see authority.ts),
 * a single in-flight request per kind (so a burst of callers makes one token request), sanitized errors, and
 * routing of all HTTP through an injectable fetch.
 */
import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
  LogLevel,
} from '@azure/msal-node';
import { type AuthorityTarget, parseAuthorityHost, resolveMsalAuthority } from './authority.js';
import { loadCertificate, toMsalClientCertificate } from './certificate.js';
import { createFetchNetworkClient, type FetchNetworkClient } from './fetch-network-client.js';
import { mapMsalError } from './msal-errors.js';
import { type GetTokenOptions, TokenAcquisitionError, type TokenProvider } from './token-provider.js';

/** The app's credential. */
export type ClientCredential =
  | { kind: 'secret'; secret: string }
  /** PEM file holding the certificate AND the private key (possibly encrypted with `password`). */
  | { kind: 'certificate'; pemPath: string; password?: string };

/** pino-compatible subset. Only secret-free objects are logged (never tokens, secrets or keys). */
export interface AuthLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

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

interface Credential {
  auth: Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate'>;
  secrets: string[];
  label: string;
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
  const target = parseAuthorityHost(options.authorityHost, options.tenantId);
  const credential = buildCredential(options);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const network = createFetchNetworkClient(fetchFn, timeoutMs);
  const description = `${credential.label} for app ${shorten(options.clientId)} at ${target.base}`;

  let app: Promise<AppState> | undefined;
  // After an empty token msal may have cached the empty result; bypass the cache on the next call.
  let bypassCacheOnce = false;
  const inflight: { cached?: Promise<string>; forced?: Promise<string> } = {};

  const getApp = (): Promise<AppState> => {
    app ??= buildApp(options, target, credential, network, fetchFn, timeoutMs).catch((err: unknown) => {
      app = undefined;
      throw err;
    });
    return app;
  };

  async function acquire(force: boolean): Promise<string> {
    const state = await getApp();
    let result: AuthenticationResult | null;
    try {
      result = await state.cca.acquireTokenByClientCredential({
        scopes: [options.scope],
        skipCache: force || bypassCacheOnce,
        // Never let an MSAL_FORCE_REGION env var trigger IMDS region discovery or regional endpoints.
        azureRegion: 'DisableMsalForceRegion',
      });
    } catch (err) {
      // Endpoints were guessed after a transient discovery failure: discover again next time.
      if (!state.definitive) app = undefined;
      throw mapMsalError(err, {
        authority: target.base,
        lastFailure: network.lastFailure(),
        secrets: credential.secrets,
      });
    }
    if (!result?.accessToken) {
      bypassCacheOnce = true;
      throw new TokenAcquisitionError('TOKEN_EMPTY', `Authority ${target.base} returned no access_token`);
    }
    bypassCacheOnce = false;
    if (!result.fromCache) {
      options.logger?.info(
        { authority: target.base, expiresOn: result.expiresOn?.toISOString() },
        'Acquired access token',
      );
    }
    return result.accessToken;
  }

  // One request per kind at a time: cached lookups join any cached lookup, forced refreshes join a forced one.
  const singleflight = (force: boolean): Promise<string> => {
    const key = force ? 'forced' : 'cached';
    const existing = inflight[key];
    if (existing) return existing;
    const started = acquire(force).finally(() => {
      if (inflight[key] === started) delete inflight[key];
    });
    inflight[key] = started;
    // Callers may all stop waiting (abort); the shared promise must not become an unhandled rejection.
    started.catch(() => {});
    return started;
  };

  return {
    description,
    getToken: async (opts?: GetTokenOptions) => {
      opts?.signal?.throwIfAborted();
      return withAbort(singleflight(opts?.forceRefresh === true), opts?.signal);
    },
  };
}

async function buildApp(
  options: MsalProviderOptions,
  target: AuthorityTarget,
  credential: Credential,
  network: FetchNetworkClient,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<AppState> {
  const warn = (obj: object, msg: string) => options.logger?.warn(obj, msg);
  const settings = await resolveMsalAuthority(target, fetchFn, timeoutMs, warn);
  const { source, definitive, ...authority } = settings;
  options.logger?.info({ authority: target.base, metadata: source }, 'Resolved token authority');
  try {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: options.clientId, ...authority, ...credential.auth },
      system: { networkClient: network, loggerOptions: msalLoggerOptions(options.logger) },
    });
    return { cca, definitive };
  } catch (err) {
    throw mapMsalError(err, { authority: target.base, secrets: credential.secrets });
  }
}

function buildCredential(options: MsalProviderOptions): Credential {
  const { credential } = options;
  if (credential.kind === 'secret') {
    if (!credential.secret) throw new TokenAcquisitionError('TOKEN_CONFIG_INVALID', 'client secret is empty');
    return {
      auth: { clientSecret: credential.secret },
      secrets: [credential.secret],
      label: 'client secret',
    };
  }
  const cert = loadCertificate(credential.pemPath, credential.password);
  if (cert.notAfter.getTime() < Date.now()) {
    options.logger?.warn(
      { notAfter: cert.notAfter.toISOString(), subject: cert.subject },
      'Client certificate has expired',
    );
  }
  return {
    auth: { clientCertificate: toMsalClientCertificate(cert) },
    secrets: credential.password ? [credential.password] : [],
    label: `certificate ${cert.thumbprintSha256.slice(0, 8)}… (${cert.subject.replaceAll('\n', ', ')})`,
  };
}

/** msal logging: no PII, and only warnings/errors, forwarded to our logger as warnings. */
function msalLoggerOptions(logger: AuthLogger | undefined) {
  return {
    piiLoggingEnabled: false,
    logLevel: logger ? LogLevel.Warning : LogLevel.Error,
    loggerCallback: (level: LogLevel, message: string, containsPii: boolean) => {
      if (!logger || containsPii || level > LogLevel.Warning) return;
      logger.warn({ msalLevel: LogLevel[level], msal: message }, 'msal');
    },
  };
}

/** Rejects with `signal.reason` when the caller stops waiting; the shared request itself continues. */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function shorten(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}
