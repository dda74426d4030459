import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { createRedisCacheStore } from '../../src/upstream/cache-store-redis.js';
import { createCacheTestApp, iso, settle, T0, TEST_CACHE, testClock } from '../helpers/cache-app.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { createRuntimeApp } from '../helpers/runtime-app.js';

const ID = 'microsoft-_-windows_11';
const QUERY = `query ($id: ID!) {
  software(id: $id) { name fetchedAt missingKbs { id } missingKbsFetchedAt }
}`;

describe('cache shared through a real Redis', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  let run = 0;

  /** An ioredis client of its own, as each replica would have. */
  const connect = () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    clients.push(client);
    return client;
  };
  /** Two "replicas": their own store, client and cache layer, one Redis, one emulator, one clock. */
  const replicas = (tenants: [string, string] = ['tenant-a', 'tenant-a']) => {
    const emulator = createEmulator();
    const clock = testClock();
    const prefix = `test:${++run}:`; // every test sees an empty cache
    const make = (tenantId: string) =>
      createCacheTestApp({
        emulator,
        clock,
        tenantId,
        cache: TEST_CACHE,
        store: createRedisCacheStore({ redis: connect(), prefix }),
      });
    return { emulator, clock, one: make(tenants[0]), two: make(tenants[1]) };
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await redis?.stop();
  });

  it('a value fetched by one instance is a hit for the other: zero upstream calls', async () => {
    const { emulator, one, two } = replicas();
    const first = await one.gql(QUERY, { id: ID });
    expect(first.errors).toBeUndefined();
    expect(emulator.log).toHaveLength(2);
    const second = await two.gql(QUERY, { id: ID });
    expect(second).toEqual(first);
    expect(second.data).toMatchObject({ software: { fetchedAt: iso(T0), missingKbsFetchedAt: iso(T0) } });
    expect(emulator.log).toHaveLength(2);
  });

  it('two production runtimes with REDIS_URL: the second answers from Redis with zero upstream calls', async () => {
    expect(await redis.command('FLUSHALL')).toBe('+OK');
    const emulator = createEmulator();
    const env = { REDIS_URL: redis.url };
    const [one, two] = [await createRuntimeApp({ emulator, env }), await createRuntimeApp({ emulator, env })];
    try {
      const first = await one.gql(QUERY, { id: ID });
      expect(first.body.errors).toBeUndefined();
      expect(emulator.log).toHaveLength(2);
      const second = await two.gql(QUERY, { id: ID });
      expect(second.body.data).toEqual(first.body.data);
      expect(emulator.log).toHaveLength(2);
      expect(await two.metrics()).toContain('tvm_cache_hits_total{resource="software.get"} 1');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('keeps tenants apart in the shared Redis', async () => {
    const { emulator, one, two } = replicas(['tenant-a', 'tenant-b']);
    await one.gql(QUERY, { id: ID });
    await two.gql(QUERY, { id: ID });
    expect(emulator.log).toHaveLength(4);
  });

  it('shares remembered 404s and refreshed values', async () => {
    const { emulator, clock, one, two } = replicas();
    const missing = 'query { software(id: "contoso-_-nothing") { name } }';
    await one.gql(missing);
    const again = await two.gql(missing);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(emulator.log.filter((e) => e.route === 'software.get')).toHaveLength(1);

    await one.gql(QUERY, { id: ID });
    clock.advance(120); // inside SWR: instance two serves stale and refreshes in the background
    const stale = await two.gql(QUERY, { id: ID });
    expect(stale.extensions).toMatchObject({ stale: true, staleResources: 2 });
    await settle();
    const fresh = await one.gql(QUERY, { id: ID }); // instance one sees two's refresh
    expect(fresh.extensions?.stale).toBeUndefined();
    expect(fresh.data).toMatchObject({ software: { fetchedAt: iso(T0 + 120_000) } });
    expect(emulator.log.filter((e) => e.route === 'software.get' && e.status === 200)).toHaveLength(2);
    expect(emulator.log.filter((e) => e.route === 'software.getmissingkbs')).toHaveLength(2);
  });

  it('stores entries with a Redis expiry of the longest window', async () => {
    const { one } = replicas();
    await one.gql(QUERY, { id: ID });
    const client = connect();
    const keys = await client.keys(`test:${run}:*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(390_000); // 100 s fresh + 300 s stale-if-error
      expect(ttl).toBeLessThanOrEqual(400_000);
    }
  });

  it('degrades to upstream calls, not errors, when Redis is unreachable', async () => {
    const emulator = createEmulator();
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    clients.push(dead);
    let failures = 0;
    const app = createCacheTestApp({
      emulator,
      cache: TEST_CACHE,
      store: createRedisCacheStore({ redis: dead, commandTimeoutMs: 200, onError: () => failures++ }),
    });
    const first = await app.gql(QUERY, { id: ID });
    const second = await app.gql(QUERY, { id: ID });
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(emulator.log).toHaveLength(4);
    expect(failures).toBe(8); // per query: 2 gets and 2 sets (entity, missing KBs)
  });
});
