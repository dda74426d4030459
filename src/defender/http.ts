import type { TokenProvider } from '../auth/token-provider.js';
import { DefenderError, errorFromStatus, parseRetryAfter, readErrorBody } from './errors.js';

/** Minimal structured logger (pino-compatible). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options of {@link createDefenderHttp}. */
export interface DefenderHttpOptions {
  tokens: TokenProvider;
  /** Injected for tests and the in-process demo emulator. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Abort a call after this long. @default 30000 */
  timeoutMs?: number;
  logger?: Logger;
  /** Largest response body accepted, in bytes; protects memory from a runaway upstream. @default 64 MiB */
  maxBodyBytes?: number;
  /**
   * Wraps every real HTTP attempt, including the one after a 401 refresh: the upstream budget waits
   * for a slot here and observes each status, so every request that reaches Defender is counted once.
   * A {@link DefenderError} it throws is passed on unchanged. @default none
   */
  attempt?: AttemptHook;
}

/** See {@link DefenderHttpOptions.attempt}: call `send` at most once and return (or throw) its outcome. */
export type AttemptHook = (url: URL, call: CallOptions, send: () => Promise<Response>) => Promise<Response>;

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Endpoint template for logs and metrics, e.g. `software.getmissingkbs`. */
  endpoint: string;
  /**
   * Epoch milliseconds after which this call may no longer wait for budget, retry or start an attempt
   * (the operation's deadline). Unset: the resilience layer takes it from the request scope.
   */
  deadline?: number;
}

/**
 * A value as fetched from Defender, with when it was fetched and whether it is past its fresh TTL
 * (stale values come from a cache that could not, or need not yet, refresh them).
 */
export interface Fetched<T> {
  value: T;
  /** Epoch milliseconds of the upstream response this value came from. */
  fetchedAt: number;
  stale: boolean;
}

/** Sends authenticated GETs to Defender and returns parsed JSON or throws a classified {@link DefenderError}. */
export interface DefenderHttp {
  getJson(url: URL, options: CallOptions): Promise<Fetched<unknown>>;
}

/**
 * The single request pipeline to Defender: bearer header, timeout, JSON parsing and error mapping.
 * A 401 is answered once by refreshing the token and retrying, because a token can be revoked or rotated
 * before its cached expiry; a second 401 is reported.
 */
export function createDefenderHttp(options: DefenderHttpOptions): DefenderHttp {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;

  async function send(url: URL, token: string, call: CallOptions): Promise<Response> {
    // The timeout starts when the request is sent, not while the attempt hook waits for budget.
    let timeout: AbortSignal | undefined;
    const fetchOnce = () => {
      timeout = AbortSignal.timeout(timeoutMs);
      return doFetch(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
      });
    };
    try {
      return await (options.attempt ? options.attempt(url, call, fetchOnce) : fetchOnce());
    } catch (error) {
      if (error instanceof DefenderError) throw error;
      if (timeout?.aborted)
        throw new DefenderError('UPSTREAM_TIMEOUT', `Defender did not answer within ${timeoutMs} ms`);
      if (call.signal?.aborted)
        throw new DefenderError('UPSTREAM_TIMEOUT', 'The request was cancelled', { local: 'cancelled' });
      throw new DefenderError('UPSTREAM_UNAVAILABLE', 'Defender could not be reached', { cause: error });
    }
  }

  async function readBody(response: Response): Promise<string> {
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > maxBodyBytes)
      throw new DefenderError('UPSTREAM_BAD_RESPONSE', 'Defender response is too large');
    const text = await response.text().catch((error: unknown) => {
      throw new DefenderError('UPSTREAM_UNAVAILABLE', 'Defender response was cut off', { cause: error });
    });
    if (text.length > maxBodyBytes)
      throw new DefenderError('UPSTREAM_BAD_RESPONSE', 'Defender response is too large');
    return text;
  }

  async function failure(response: Response, call: CallOptions): Promise<DefenderError> {
    const text = await readBody(response).catch(() => '');
    const error = errorFromStatus(response.status, {
      ...readErrorBody(text),
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    });
    options.logger?.warn(
      {
        endpoint: call.endpoint,
        status: response.status,
        upstreamCode: error.details.upstreamCode,
        target: error.details.target,
      },
      'Defender call failed',
    );
    return error;
  }

  async function getJson(url: URL, call: CallOptions): Promise<Fetched<unknown>> {
    let response = await send(url, await options.tokens.getToken({ signal: call.signal }), call);
    if (response.status === 401) {
      await response.body?.cancel();
      options.logger?.info({ endpoint: call.endpoint }, 'Defender answered 401; refreshing the token once');
      response = await send(
        url,
        await options.tokens.getToken({ forceRefresh: true, signal: call.signal }),
        call,
      );
    }
    if (!response.ok) throw await failure(response, call);
    const text = await readBody(response);
    try {
      return { value: JSON.parse(text), fetchedAt: Date.now(), stale: false };
    } catch {
      const type = response.headers.get('content-type') ?? 'none';
      options.logger?.warn(
        { endpoint: call.endpoint, contentType: type },
        'Defender returned a body that is not JSON',
      );
      throw new DefenderError('UPSTREAM_BAD_RESPONSE', 'Defender returned a response that is not JSON', {
        status: response.status,
      });
    }
  }

  return { getJson };
}
