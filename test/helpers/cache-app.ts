import { createStaticTokenProvider } from '../../src/auth/token-provider.js';
import { createDefenderClient } from '../../src/defender/client.js';
import { createDefenderHttp } from '../../src/defender/http.js';
import {
  createEmulator,
  demoTokenClaims,
  type Emulator,
  mintUnsignedToken,
} from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';
import { type CacheEvent, cachePartition, createCachingHttp } from '../../src/upstream/cache.js';
import { type CacheConfig, createCachePolicy } from '../../src/upstream/cache-policy.js';
import type { CacheStore } from '../../src/upstream/cache-store.js';
import { createMemoryCacheStore } from '../../src/upstream/cache-store-memory.js';
import { type GqlResult, memoryLogger } from './app.js';

export const API_ROOT = 'https://api.security.microsoft.com/api';
export const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** The windows the cache tests share: fresh 100 s, then SWR until 150 s, stale-if-error until 400 s, 404s remembered 10 s. */
export const TEST_CACHE = {
  ttlSeconds: { default: 100, byEndpoint: {} },
  swrSeconds: 50,
  staleIfErrorSeconds: 300,
  negativeTtlSeconds: 10,
};

/** ISO-8601 text of an epoch-ms time, as `fetchedAt` fields print it. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** A clock tests move by hand. */
export interface TestClock {
  now(): number;
  advance(seconds: number): void;
}

/** A clock starting at {@link T0}. */
export function testClock(start = T0): TestClock {
  let at = start;
  return {
    now: () => at,
    advance: (seconds) => {
      at += seconds * 1000;
    },
  };
}

/** Options of {@link createCacheTestApp}. */
export interface CacheTestAppOptions {
  /** Share one emulator (and so one call log) between several apps. @default a new one */
  emulator?: Emulator;
  /** @default an in-memory store of 64 MB */
  store?: CacheStore;
  cache?: Partial<CacheConfig>;
  clock?: TestClock;
  tenantId?: string;
  apiRoot?: string;
  /** Wraps the emulator's fetch, e.g. to hold responses. */
  wrapFetch?: (inner: typeof fetch) => typeof fetch;
}

/**
 * The real app, client and pipeline with the cache decorator and the stale plugin, over an
 * in-process emulator, with an injected clock.
 */
export function createCacheTestApp(options: CacheTestAppOptions = {}) {
  const emulator = options.emulator ?? createEmulator();
  const clock = options.clock ?? testClock();
  const logger = memoryLogger();
  const tokens = createStaticTokenProvider(() => mintUnsignedToken(demoTokenClaims()), 'test token');
  const base: typeof fetch = (input, init) => emulator.fetch(new Request(input, init));
  const upstream = options.wrapFetch ? options.wrapFetch(base) : base;
  const http = createDefenderHttp({ tokens, fetch: upstream, logger, timeoutMs: 5_000 });
  const store = options.store ?? createMemoryCacheStore({ maxBytes: 64 * 1024 * 1024 });
  const events: CacheEvent[] = [];
  const apiRoot = options.apiRoot ?? API_ROOT;
  const partition = cachePartition({ tenantId: options.tenantId ?? 'tenant-a', clientId: 'app', apiRoot });
  const cached = createCachingHttp(http, {
    store,
    policy: createCachePolicy(options.cache),
    partition,
    now: clock.now,
    logger,
    onEvent: (event) => events.push(event),
  });
  // The client always talks to the emulator's host; apiRoot only changes the partition.
  const client = createDefenderClient(cached, API_ROOT);
  const app = createApp({ client, logger });

  async function gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) {
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult<T> & { extensions?: Record<string, unknown> };
  }
  const calls = (route?: string) => emulator.log.filter((e) => route === undefined || e.route === route);
  return { app, emulator, clock, store, events, logger, gql, calls };
}

/** A fetch wrapper that holds every response until `open()`; requests still reach the emulator at once. */
export function gate() {
  let release!: () => void;
  let opened = new Promise<void>((r) => {
    release = r;
  });
  let closed = false;
  return {
    wrap:
      (inner: typeof fetch): typeof fetch =>
      async (input, init) => {
        const response = await inner(input, init);
        if (closed) await opened;
        return response;
      },
    close: () => {
      closed = true;
      opened = new Promise<void>((r) => {
        release = r;
      });
    },
    open: () => {
      closed = false;
      release();
    },
  };
}

/** Lets pending promise continuations (e.g. a background refresh) run. */
export const settle = () => new Promise((r) => setTimeout(r, 5));
