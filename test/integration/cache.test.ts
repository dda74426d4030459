import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { createMemoryCacheStore } from '../../src/upstream/cache-store-memory.js';
import { createCacheTestApp, gate, iso, settle, T0, TEST_CACHE, testClock } from '../helpers/cache-app.js';

const ID = 'microsoft-_-windows_11';
const FULL = `query ($id: ID!) {
  software(id: $id) { name fetchedAt missingKbs { id } missingKbsFetchedAt }
}`;
const NAME = 'query ($id: ID!) { software(id: $id) { name fetchedAt } }';

describe('cache over the real pipeline (memory store)', () => {
  it('answers a repeated query from the cache with zero upstream calls; fetchedAt is the injected clock', async () => {
    const { gql, calls, clock } = createCacheTestApp({ cache: TEST_CACHE });
    const first = await gql(FULL, { id: ID });
    expect(first.errors).toBeUndefined();
    expect(first.data).toMatchObject({ software: { fetchedAt: iso(T0), missingKbsFetchedAt: iso(T0) } });
    expect(calls()).toHaveLength(2);
    clock.advance(99);
    const second = await gql(FULL, { id: ID });
    expect(second).toEqual(first);
    expect(calls()).toHaveLength(2);
    expect(second.extensions?.stale).toBeUndefined();
  });

  it('reports fetchedAt on devices and vulnerabilities, cached like software', async () => {
    const { gql, calls, clock, emulator } = createCacheTestApp({ cache: TEST_CACHE });
    const machineId = emulator.dataset.machines[0]?.id;
    const cveId = [...emulator.dataset.vulnerabilitiesById.keys()][0];
    const query = `query ($m: ID!, $v: ID!) {
      machine(id: $m) { id fetchedAt }
      vulnerability(id: $v) { id fetchedAt }
    }`;
    const first = await gql(query, { m: machineId, v: cveId });
    expect(first.errors).toBeUndefined();
    expect(first.data).toEqual({
      machine: { id: machineId, fetchedAt: iso(T0) },
      vulnerability: { id: cveId, fetchedAt: iso(T0) },
    });
    clock.advance(30);
    expect((await gql(query, { m: machineId, v: cveId })).data).toEqual(first.data);
    expect(
      calls()
        .map((c) => c.route)
        .sort(),
    ).toEqual(['machines.get', 'vulnerabilities.get']);
  });

  it('200 concurrent identical cold requests make exactly one call per endpoint', async () => {
    const { app, calls } = createCacheTestApp({ cache: TEST_CACHE });
    const body = JSON.stringify({ query: FULL, variables: { id: ID } });
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        app.fetch('http://app/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
      ),
    );
    const texts = new Set(await Promise.all(responses.map((r) => r.text())));
    expect(texts.size).toBe(1);
    expect(JSON.parse([...texts][0] ?? '{}').errors).toBeUndefined();
    expect(calls('software.get')).toHaveLength(1);
    expect(calls('software.getmissingkbs')).toHaveLength(1);
    expect(calls()).toHaveLength(2);
  });

  it('inside the SWR window serves stale at once, refreshes with exactly one background call, then fresh', async () => {
    const held = gate();
    const { gql, calls, clock } = createCacheTestApp({ cache: TEST_CACHE, wrapFetch: held.wrap });
    await gql(NAME, { id: ID });
    clock.advance(120);
    held.close(); // the refresh's response is held: the query must not wait for it
    const stale = await gql(NAME, { id: ID });
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toMatchObject({ software: { name: 'windows_11', fetchedAt: iso(T0) } });
    expect(stale.extensions).toMatchObject({ stale: true, staleResources: 1, oldestFetchedAt: iso(T0) });
    const again = await gql(NAME, { id: ID }); // still refreshing: stale again, no second call
    expect(again.extensions).toMatchObject({ stale: true });
    expect(calls('software.get')).toHaveLength(2);
    held.open();
    await settle();
    const fresh = await gql(NAME, { id: ID });
    expect(fresh.extensions?.stale).toBeUndefined();
    expect(fresh.data).toMatchObject({ software: { fetchedAt: iso(T0 + 120_000) } });
    expect(calls('software.get')).toHaveLength(2);
  });

  it.each([
    [429, 'UPSTREAM_RATE_LIMITED'],
    [503, 'UPSTREAM_UNAVAILABLE'],
  ])(
    'serves stale data without an error while Defender answers %i, then the typed error past the stale-if-error window',
    async (status, code) => {
      const { gql, calls, clock, emulator } = createCacheTestApp({ cache: TEST_CACHE });
      await gql(NAME, { id: ID });
      emulator.faults.add({ fault: { kind: 'status', status, retryAfter: 30 } });
      clock.advance(200); // past SWR: the call is made in the foreground and fails
      const stale = await gql(NAME, { id: ID });
      expect(stale.errors).toBeUndefined();
      expect(stale.data).toEqual({ software: { name: 'windows_11', fetchedAt: iso(T0) } });
      expect(stale.extensions).toMatchObject({ stale: true, staleResources: 1, oldestFetchedAt: iso(T0) });
      expect(calls('software.get').map((c) => c.status)).toEqual([200, status]);
      clock.advance(201); // 401 s after the fetch: past 100 + 300
      const failed = await gql(NAME, { id: ID });
      expect(failed.data).toEqual({ software: null });
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code });
      expect(calls('software.get').map((c) => c.status)).toEqual([200, status, status]);
    },
  );

  it('remembers a 404 for the negative TTL, then asks again', async () => {
    const { gql, calls, clock } = createCacheTestApp({ cache: TEST_CACHE });
    const query = 'query ($id: ID!) { software(id: $id) { name } }';
    const first = await gql(query, { id: 'contoso-_-nothing' });
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
    clock.advance(9);
    const second = await gql(query, { id: 'contoso-_-nothing' });
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
    expect(second.errors?.[0]?.extensions?.upstreamTarget).toBe(
      first.errors?.[0]?.extensions?.upstreamTarget,
    );
    expect(calls('software.get')).toHaveLength(1);
    clock.advance(2);
    await gql(query, { id: 'contoso-_-nothing' });
    expect(calls('software.get')).toHaveLength(2);
  });

  it('does not cache errors: the next request calls again and succeeds', async () => {
    const { gql, calls, emulator } = createCacheTestApp({ cache: TEST_CACHE });
    emulator.faults.add({ fault: { kind: 'status', status: 503 }, times: 1 });
    const failed = await gql(NAME, { id: ID });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const ok = await gql(NAME, { id: ID });
    expect(ok.errors).toBeUndefined();
    expect(calls('software.get').map((c) => c.status)).toEqual([503, 200]);
  });

  it('evicts least recently used entries when the memory bound is reached', async () => {
    const ids = ['microsoft-_-windows_11', 'google-_-chrome', 'microsoft-_-edge'];
    const probeStore = createMemoryCacheStore({ maxBytes: 1 << 24 });
    await createCacheTestApp({ cache: TEST_CACHE, store: probeStore }).gql(NAME, { id: ids[0] });
    const oneEntry = probeStore.stats().bytes;
    // room for two software entities, not three
    const store = createMemoryCacheStore({ maxBytes: Math.floor(oneEntry * 2.5) });
    const { gql, calls } = createCacheTestApp({ cache: TEST_CACHE, store });
    for (const id of ids) expect((await gql(NAME, { id })).errors).toBeUndefined();
    expect(store.stats().entries).toBe(2);
    await gql(NAME, { id: ids[2] }); // still cached
    await gql(NAME, { id: ids[1] }); // still cached
    expect(calls('software.get')).toHaveLength(3);
    await gql(NAME, { id: ids[0] }); // evicted first: fetched again
    expect(calls('software.get').map((c) => c.id)).toEqual([...ids, ids[0]]);
  });

  it('never shares entries across tenants or API hosts, even in one store', async () => {
    const emulator = createEmulator();
    const store = createMemoryCacheStore({ maxBytes: 1 << 24 });
    const clock = testClock();
    const app = (tenantId: string, apiRoot?: string) =>
      createCacheTestApp({ emulator, store, clock, tenantId, apiRoot, cache: TEST_CACHE });
    await app('tenant-a').gql(NAME, { id: ID });
    await app('tenant-b').gql(NAME, { id: ID });
    await app('tenant-a', 'https://eu.api.security.microsoft.com/api').gql(NAME, { id: ID });
    expect(emulator.log.filter((e) => e.route === 'software.get')).toHaveLength(3);
    await app('tenant-a').gql(NAME, { id: ID });
    await app('tenant-b').gql(NAME, { id: ID });
    expect(emulator.log.filter((e) => e.route === 'software.get')).toHaveLength(3);
  });
});
