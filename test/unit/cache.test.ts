import { describe, expect, it } from 'vitest';
import { DefenderError, type ErrorCode } from '../../src/defender/errors.js';
import type { CallOptions, DefenderHttp } from '../../src/defender/http.js';
import { type CacheEvent, cacheKey, cachePartition, createCachingHttp } from '../../src/upstream/cache.js';
import { type CacheConfig, createCachePolicy } from '../../src/upstream/cache-policy.js';
import { createMemoryCacheStore } from '../../src/upstream/cache-store-memory.js';
import { type RequestScope, runInScope } from '../../src/upstream/request-scope.js';

const URL_A = new URL('https://api.security.microsoft.com/api/Software/a');
const CALL: CallOptions = { endpoint: 'software.get' };
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
// ttl 100 s, SWR 50 s, stale-if-error 300 s, 404s 10 s
const CONFIG: Partial<CacheConfig> = {
  ttlSeconds: { default: 100, byEndpoint: {} },
  swrSeconds: 50,
  staleIfErrorSeconds: 300,
  negativeTtlSeconds: 10,
};

type Outcome = { value: unknown } | { error: DefenderError } | { pending: true };

/** An inner pipeline answering from a script; it records every call it receives. */
function scriptedInner() {
  const calls: { url: string; call: CallOptions }[] = [];
  let next: Outcome = { value: { n: 0 } };
  const pending: ((o: Outcome) => void)[] = [];
  const inner: DefenderHttp = {
    async getJson(url, call) {
      calls.push({ url: url.href, call });
      let outcome = next;
      if ('pending' in outcome) outcome = await new Promise<Outcome>((r) => pending.push(r));
      if ('error' in outcome) throw outcome.error;
      if ('pending' in outcome) throw new Error('unreachable');
      return { value: outcome.value, fetchedAt: -1, stale: false };
    },
  };
  return {
    inner,
    calls,
    answer: (o: Outcome) => {
      next = o;
    },
    release: (o: Outcome) => {
      for (const r of pending.splice(0)) r(o);
    },
  };
}

function setup(
  config: Partial<CacheConfig> = CONFIG,
  partition = 'tenant|client|api.security.microsoft.com',
) {
  let now = T0;
  const upstream = scriptedInner();
  const events: CacheEvent[] = [];
  const store = createMemoryCacheStore({ maxBytes: 1024 * 1024 });
  const http = createCachingHttp(upstream.inner, {
    store,
    policy: createCachePolicy(config),
    partition,
    now: () => now,
    onEvent: (event) => events.push(event),
  });
  const advance = (seconds: number) => {
    now += seconds * 1000;
  };
  return { http, upstream, events, store, advance, now: () => now };
}

const error = (code: ErrorCode, local?: 'breaker' | 'cancelled') =>
  new DefenderError(code, `failed with ${code}`, { status: 503, ...(local ? { local } : {}) });
const flush = () => new Promise((r) => setImmediate(r));

describe('createCachingHttp', () => {
  it('serves a fresh hit without an upstream call, with fetchedAt from the injected clock', async () => {
    const { http, upstream, advance } = setup();
    upstream.answer({ value: { name: 'edge' } });
    expect(await http.getJson(URL_A, CALL)).toEqual({ value: { name: 'edge' }, fetchedAt: T0, stale: false });
    advance(99);
    expect(await http.getJson(URL_A, CALL)).toEqual({ value: { name: 'edge' }, fetchedAt: T0, stale: false });
    expect(upstream.calls).toHaveLength(1);
  });

  it('hands every hit its own copy, so a caller mutating it cannot poison the cache', async () => {
    const { http } = setup();
    await http.getJson(URL_A, CALL);
    const first = (await http.getJson(URL_A, CALL)).value as { n: number };
    first.n = 99;
    expect((await http.getJson(URL_A, CALL)).value).toEqual({ n: 0 });
  });

  it('coalesces 200 concurrent misses for one key into one upstream call', async () => {
    const { http, upstream, events } = setup();
    upstream.answer({ pending: true });
    const all = Array.from({ length: 200 }, () => http.getJson(URL_A, CALL));
    await flush();
    expect(upstream.calls).toHaveLength(1);
    upstream.release({ value: { n: 1 } });
    const results = await Promise.all(all);
    expect(results.every((r) => (r.value as { n: number }).n === 1 && r.fetchedAt === T0)).toBe(true);
    expect(events.filter((e) => e === 'singleflight_join')).toHaveLength(199);
  });

  it('a caller that aborts gets UPSTREAM_TIMEOUT while the shared call completes for the others', async () => {
    const { http, upstream } = setup();
    upstream.answer({ pending: true });
    const leaving = new AbortController();
    const gone = http.getJson(URL_A, { ...CALL, signal: leaving.signal });
    const staying = http.getJson(URL_A, { ...CALL, signal: new AbortController().signal });
    await flush();
    leaving.abort();
    await expect(gone).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { local: 'cancelled' } });
    expect(upstream.calls[0]?.call.signal?.aborted).toBe(false);
    upstream.release({ value: { n: 5 } });
    expect((await staying).value).toEqual({ n: 5 });
    expect(upstream.calls).toHaveLength(1);
  });

  it('within the SWR window serves stale at once, refreshes once in the background, then serves fresh', async () => {
    const { http, upstream, advance, events } = setup();
    await http.getJson(URL_A, CALL);
    advance(120); // past ttl 100, inside SWR (100..150)
    upstream.answer({ pending: true }); // the refresh hangs: the response must not wait for it
    const scope: RequestScope = { stale: new Set() };
    const served = await runInScope(scope, () => http.getJson(URL_A, CALL));
    expect(served).toEqual({ value: { n: 0 }, fetchedAt: T0, stale: true });
    expect([...(scope.stale ?? [])]).toEqual([cacheKey('tenant|client|api.security.microsoft.com', URL_A)]);
    expect(scope.oldestStaleFetchedAt).toBe(T0);
    // More stale serves while the refresh runs start no second call.
    await Promise.all(Array.from({ length: 20 }, () => http.getJson(URL_A, CALL)));
    expect(upstream.calls).toHaveLength(2);
    expect(upstream.calls[1]?.call.signal?.aborted).toBe(false);
    upstream.release({ value: { n: 1 } });
    await flush();
    expect(await http.getJson(URL_A, CALL)).toEqual({
      value: { n: 1 },
      fetchedAt: T0 + 120_000,
      stale: false,
    });
    expect(upstream.calls).toHaveLength(2);
    expect(events.filter((e) => e === 'refresh')).toHaveLength(1);
  });

  it('swallows a failed background refresh and keeps serving the stale value', async () => {
    const { http, upstream, advance, events } = setup();
    await http.getJson(URL_A, CALL);
    advance(110);
    upstream.answer({ error: error('UPSTREAM_UNAVAILABLE') });
    expect((await http.getJson(URL_A, CALL)).stale).toBe(true);
    await flush();
    expect(events).toContain('refresh_error');
    expect((await http.getJson(URL_A, CALL)).stale).toBe(true);
    expect(upstream.calls).toHaveLength(3); // first fetch, failed refresh, next refresh
  });

  it.each([
    ['UPSTREAM_RATE_LIMITED', undefined],
    ['UPSTREAM_UNAVAILABLE', undefined],
    ['UPSTREAM_TIMEOUT', undefined],
    ['UPSTREAM_UNAVAILABLE', 'breaker'],
  ] as const)('past SWR, serves stale when Defender fails with %s (%s)', async (code, local) => {
    const { http, upstream, advance, events } = setup();
    await http.getJson(URL_A, CALL);
    advance(200); // past SWR (150), inside stale-if-error (100..400)
    upstream.answer({ error: error(code, local) });
    const scope: RequestScope = {};
    expect(await runInScope(scope, () => http.getJson(URL_A, CALL))).toEqual({
      value: { n: 0 },
      fetchedAt: T0,
      stale: true,
    });
    expect(scope.stale?.size).toBe(1);
    expect(events.at(-1)).toBe('stale_if_error');
    expect(upstream.calls).toHaveLength(2);
  });

  it.each([
    'UPSTREAM_UNAUTHORIZED',
    'UPSTREAM_FORBIDDEN',
    'BAD_USER_INPUT',
    'NOT_FOUND',
    'UPSTREAM_BAD_RESPONSE',
  ] as const)('never hides %s behind a stale value', async (code) => {
    const { http, upstream, advance } = setup();
    await http.getJson(URL_A, CALL);
    advance(200);
    upstream.answer({ error: error(code) });
    await expect(http.getJson(URL_A, CALL)).rejects.toMatchObject({ code });
  });

  it('does not serve stale to a caller that cancelled', async () => {
    const { http, upstream, advance } = setup();
    await http.getJson(URL_A, CALL);
    advance(200);
    upstream.answer({ error: error('UPSTREAM_TIMEOUT', 'cancelled') });
    await expect(http.getJson(URL_A, CALL)).rejects.toMatchObject({ details: { local: 'cancelled' } });
  });

  it('past the stale-if-error window answers the typed error', async () => {
    const { http, upstream, advance } = setup();
    await http.getJson(URL_A, CALL);
    advance(401);
    upstream.answer({ error: error('UPSTREAM_RATE_LIMITED') });
    await expect(http.getJson(URL_A, CALL)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
  });

  it('remembers a 404 for the negative TTL only, re-throwing the same error', async () => {
    const { http, upstream, advance, events } = setup();
    const notFound = new DefenderError('NOT_FOUND', 'Not found in Defender', {
      status: 404,
      upstreamCode: 'ResourceNotFound',
      target: 'abc-123',
    });
    upstream.answer({ error: notFound });
    await expect(http.getJson(URL_A, CALL)).rejects.toBe(notFound);
    advance(9);
    const again = http.getJson(URL_A, CALL);
    await expect(again).rejects.toBeInstanceOf(DefenderError);
    await expect(again).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Not found in Defender',
      details: { status: 404, upstreamCode: 'ResourceNotFound', target: 'abc-123' },
    });
    expect(upstream.calls).toHaveLength(1);
    expect(events).toContain('negative_hit');
    advance(2); // 11 s > negative TTL 10 s
    upstream.answer({ value: { n: 2 } });
    expect((await http.getJson(URL_A, CALL)).value).toEqual({ n: 2 });
    expect(upstream.calls).toHaveLength(2);
  });

  it('caches no other error', async () => {
    const { http, upstream } = setup();
    for (const code of ['UPSTREAM_RATE_LIMITED', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_FORBIDDEN'] as const) {
      upstream.answer({ error: error(code) });
      await expect(http.getJson(URL_A, CALL)).rejects.toMatchObject({ code });
      await expect(http.getJson(URL_A, CALL)).rejects.toMatchObject({ code });
    }
    expect(upstream.calls).toHaveLength(6);
  });

  it('keeps tenants, client apps and API hosts apart', async () => {
    const store = createMemoryCacheStore({ maxBytes: 1 << 20 });
    const upstream = scriptedInner();
    const make = (tenantId: string, clientId: string, apiRoot: string) =>
      createCachingHttp(upstream.inner, {
        store,
        policy: createCachePolicy(CONFIG),
        partition: cachePartition({ tenantId, clientId, apiRoot }),
        now: () => T0,
      });
    const root = 'https://api.security.microsoft.com/api';
    const partitions = [
      make('t1', 'c1', root),
      make('t2', 'c1', root),
      make('t1', 'c2', root),
      make('t1', 'c1', 'https://eu.api.security.microsoft.com/api'),
    ];
    for (const http of partitions) await http.getJson(URL_A, CALL);
    expect(upstream.calls).toHaveLength(4);
    await make('t1', 'c1', root).getJson(URL_A, CALL);
    expect(upstream.calls).toHaveLength(4);
    expect(cachePartition({ tenantId: 't', clientId: 'c', apiRoot: root, userId: 'u' })).toBe(
      't|c|api.security.microsoft.com|user:u',
    );
  });

  it('uses each endpoint its own TTL', async () => {
    const { http, upstream, advance } = setup({
      ttlSeconds: { byEndpoint: { 'software.list': 10 } },
      swrSeconds: 0,
      staleIfErrorSeconds: 0,
    });
    const list = new URL('https://api.security.microsoft.com/api/Software');
    await http.getJson(URL_A, CALL);
    await http.getJson(list, { endpoint: 'software.list' });
    advance(11);
    await http.getJson(URL_A, CALL); // built-in 900 s: still fresh
    await http.getJson(list, { endpoint: 'software.list' }); // 10 s: refetched
    expect(upstream.calls.map((c) => c.call.endpoint)).toEqual([
      'software.get',
      'software.list',
      'software.list',
    ]);
  });

  it('with every window 0 stores nothing but still coalesces', async () => {
    const { http, upstream, store } = setup({
      ttlSeconds: { default: 0, byEndpoint: {} },
      swrSeconds: 0,
      staleIfErrorSeconds: 0,
      negativeTtlSeconds: 0,
    });
    await http.getJson(URL_A, CALL);
    await http.getJson(URL_A, CALL);
    expect(upstream.calls).toHaveLength(2);
    expect(store.stats().entries).toBe(0);
  });
});
