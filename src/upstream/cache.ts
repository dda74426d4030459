import { DefenderError } from '../defender/errors.js';
import type { CallOptions, DefenderHttp, Fetched, Logger } from '../defender/http.js';
import type { CachePolicy } from './cache-policy.js';
import type { CacheEntry, CacheStore } from './cache-store.js';
import { currentScope, runInScope } from './request-scope.js';
import { Singleflight } from './singleflight.js';

/** What the cache did for one call, for metrics. */
export type CacheEvent =
  /** Served fresh from the cache: no upstream call. */
  | 'hit'
  /** Not in the cache (or past every window): an upstream call was needed. */
  | 'miss'
  /** Served stale inside the stale-while-revalidate window; a background refresh was started or running. */
  | 'stale'
  /** Served stale because the upstream call failed (429, 5xx, timeout, breaker open). */
  | 'stale_if_error'
  /** A remembered 404 answered the call. */
  | 'negative_hit'
  /** The call joined an upstream call already in flight for the same key (singleflight). */
  | 'singleflight_join'
  /** A background refresh started. */
  | 'refresh'
  /** A background refresh failed (the stale value stays). */
  | 'refresh_error';

/** Options of {@link createCachingHttp}. */
export interface CachingHttpOptions {
  store: CacheStore;
  policy: CachePolicy;
  /**
   * Who the data belongs to: see {@link cachePartition}. Two partitions never share an entry, so one
   * tenant (or, later, one delegated user) can never be served another's data.
   */
  partition: string;
  /** Clock in epoch milliseconds; `fetchedAt` and every window use it. @default Date.now */
  now?: () => number;
  logger?: Logger;
  /** Called once per cache decision (see {@link CacheEvent}) with the endpoint template. */
  onEvent?: (event: CacheEvent, endpoint: string) => void;
}

/** Who cached data belongs to: tenant, client app and API host, and the delegated user when there is one. */
export interface PartitionParts {
  tenantId: string;
  clientId: string;
  /** The API root, e.g. `https://api.security.microsoft.com/api`; only its host is used. */
  apiRoot: string;
  /** Object id of the delegated (on-behalf-of) user; unset for app-only access. */
  userId?: string;
}

/** Builds the partition string of {@link CachingHttpOptions.partition}. */
export function cachePartition(parts: PartitionParts): string {
  const base = `${parts.tenantId}|${parts.clientId}|${new URL(parts.apiRoot).host}`;
  return parts.userId ? `${base}|user:${parts.userId}` : base;
}

/** The cache key of one request: its partition and its full URL (canonical, from `buildApiUrl`). */
export function cacheKey(partition: string, url: URL): string {
  return `${partition}|${url.href}`;
}

/** Failures that a stale value may hide: Defender is rationing, down or slow — not "your request is wrong". */
function allowsStale(error: unknown): boolean {
  if (!(error instanceof DefenderError) || error.details.local === 'cancelled') return false;
  return ['UPSTREAM_RATE_LIMITED', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT'].includes(error.code);
}

/** Records in the request scope that this request was answered with a stale value. */
function markStale(key: string, fetchedAt: number): void {
  const scope = currentScope();
  if (!scope) return;
  scope.stale ??= new Set();
  scope.stale.add(key);
  scope.oldestStaleFetchedAt = Math.min(scope.oldestStaleFetchedAt ?? fetchedAt, fetchedAt);
}

function notFound(entry: Extract<CacheEntry, { kind: 'notFound' }>): DefenderError {
  return new DefenderError('NOT_FOUND', entry.message, entry.details);
}

/**
 * Wraps the request pipeline with a cache shared by every request of the process (and, with a Redis
 * store, every replica). It sits outside the budget, retries and breaker: a hit spends nothing, and
 * every call it does make — cold misses, refreshes — goes through `inner` and its budget.
 *
 * Per key: fresh for the endpoint's TTL; then, for the SWR window, served stale at once while one
 * background call refreshes it; past that, refreshed synchronously, and if Defender is rationing or
 * failing the stale value is still served until the stale-if-error window ends. Concurrent misses for a
 * key share one call. Errors are never cached, except NOT_FOUND for the negative TTL.
 */
export function createCachingHttp(inner: DefenderHttp, options: CachingHttpOptions): DefenderHttp {
  const { store, policy, partition, logger } = options;
  const now = options.now ?? Date.now;
  const emit = (event: CacheEvent, endpoint: string) => options.onEvent?.(event, endpoint);
  const flights = new Singleflight<Fetched<unknown>>();

  async function fetchAndStore(key: string, url: URL, call: CallOptions): Promise<Fetched<unknown>> {
    const { retainMs } = policy.forEndpoint(call.endpoint);
    try {
      const { value } = await inner.getJson(url, call);
      const fetchedAt = now();
      if (retainMs > 0) {
        await store.set(key, { kind: 'value', value, fetchedAt, expiresAt: fetchedAt + retainMs }, retainMs);
      }
      return { value, fetchedAt, stale: false };
    } catch (error) {
      if (error instanceof DefenderError && error.code === 'NOT_FOUND' && policy.negativeTtlMs > 0) {
        const { status, upstreamCode, target } = error.details;
        const fetchedAt = now();
        const expiresAt = fetchedAt + policy.negativeTtlMs;
        const details = { status, upstreamCode, target };
        const entry: CacheEntry = { kind: 'notFound', message: error.message, details, fetchedAt, expiresAt };
        await store.set(key, entry, policy.negativeTtlMs);
      }
      throw error;
    }
  }

  /** One upstream call per key at a time, whoever asks; the caller's signal only stops its own wait. */
  async function load(key: string, url: URL, call: CallOptions): Promise<Fetched<unknown>> {
    const { signal, ...shared } = call;
    const ticket = flights.do(key, (s) => fetchAndStore(key, url, { ...shared, signal: s }), signal);
    if (ticket.joined) emit('singleflight_join', call.endpoint);
    try {
      return await ticket.promise;
    } catch (error) {
      if (error instanceof DefenderError || !signal?.aborted) throw error;
      throw new DefenderError('UPSTREAM_TIMEOUT', 'The request was cancelled', { local: 'cancelled' });
    }
  }

  function refreshInBackground(key: string, url: URL, call: CallOptions): void {
    if (flights.has(key)) return; // one refresh per key at a time; a running call will store its result
    emit('refresh', call.endpoint);
    const scope = currentScope();
    // Detached from the request: no signal (it may end first) and its own scope, so nothing it does is
    // reported as this request's; it keeps the request's deadline for the budget queue.
    const { signal: _ignored, ...shared } = call;
    const background = { deadline: shared.deadline ?? scope?.deadline, requestId: scope?.requestId };
    runInScope(background, () =>
      flights.do(key, (s) => fetchAndStore(key, url, { ...shared, signal: s })),
    ).promise.catch((error: unknown) => {
      emit('refresh_error', call.endpoint);
      const code = error instanceof DefenderError ? error.code : 'INTERNAL';
      logger?.warn(
        { endpoint: call.endpoint, code },
        'Background cache refresh failed; keeping the stale value',
      );
    });
  }

  async function getJson(url: URL, call: CallOptions): Promise<Fetched<unknown>> {
    const key = cacheKey(partition, url);
    const entry = await store.get(key);
    const at = now();
    if (!entry || at >= entry.expiresAt) {
      emit('miss', call.endpoint);
      return load(key, url, call);
    }
    if (entry.kind === 'notFound') {
      emit('negative_hit', call.endpoint);
      throw notFound(entry);
    }
    const { ttlMs, swrMs, staleIfErrorMs } = policy.forEndpoint(call.endpoint);
    const age = at - entry.fetchedAt;
    const stale: Fetched<unknown> = { value: entry.value, fetchedAt: entry.fetchedAt, stale: true };
    if (age < ttlMs) {
      emit('hit', call.endpoint);
      return { ...stale, stale: false };
    }
    if (age < ttlMs + swrMs) {
      emit('stale', call.endpoint);
      refreshInBackground(key, url, call);
      markStale(key, entry.fetchedAt);
      return stale;
    }
    emit('miss', call.endpoint);
    try {
      return await load(key, url, call);
    } catch (error) {
      if (!allowsStale(error) || age >= ttlMs + staleIfErrorMs) throw error;
      emit('stale_if_error', call.endpoint);
      logger?.info(
        { endpoint: call.endpoint, code: (error as DefenderError).code, ageMs: age },
        'Defender failed; serving the cached value stale',
      );
      markStale(key, entry.fetchedAt);
      return stale;
    }
  }

  return { getJson };
}
