import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { iso } from '../helpers/cache-app.js';
import { createRuntimeApp } from '../helpers/runtime-app.js';

/**
 * The cache in the production wiring (`createRuntime`: cache → breaker/retries → budget → HTTP), on a
 * fake clock (Date and setTimeout), so windows of minutes cost no real time.
 */
const T0 = Date.UTC(2026, 10, 27, 12);
const ID = 'microsoft-_-windows_11';
const QUERY = `query ($id: ID!) {
  software(id: $id) { name fetchedAt missingKbs { id } missingKbsFetchedAt }
}`;
const ENV = {
  DEFENDER_CACHE_TTL_SECONDS: '100',
  DEFENDER_CACHE_SWR_SECONDS: '50',
  DEFENDER_CACHE_STALE_IF_ERROR_SECONDS: '300',
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** The value of one series in the `/metrics` text, 0 when absent. */
function series(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('cache in the production runtime', () => {
  it('answers a repeat from the cache: no upstream call, no budget, counted in /metrics', async () => {
    const emulator = createEmulator();
    const { gql, metrics } = await createRuntimeApp({ emulator, env: ENV });
    const first = await gql(QUERY, { id: ID });
    expect(first.body.data).toMatchObject({ software: { fetchedAt: iso(T0), missingKbsFetchedAt: iso(T0) } });
    vi.setSystemTime(T0 + 30_000); // inside the budget's minute window, inside the fresh TTL
    const second = await gql(QUERY, { id: ID });
    expect(second.body).toEqual(first.body);
    expect(emulator.log).toHaveLength(2);
    const text = await metrics();
    expect(series(text, 'tvm_cache_hits_total{resource="software.get"}')).toBe(1);
    expect(series(text, 'tvm_cache_misses_total{resource="software.get"}')).toBe(1);
    expect(series(text, 'tvm_upstream_requests_total{endpoint="software.get",status="200"}')).toBe(1);
    // The minute window still has 99 calls left for software.get: the hit spent nothing.
    // The hit spent no budget: one more cold call leaves 97 of the minute's 100, not 95.
    await gql('{ software(id: "google-_-chrome") { name } }');
    expect(series(await metrics(), 'tvm_upstream_budget_remaining{window="minute"}')).toBe(97);
  });

  it('200 concurrent identical cold requests: exactly one upstream call per endpoint', async () => {
    const emulator = createEmulator();
    const { gql, metrics } = await createRuntimeApp({ emulator, env: ENV });
    const answers = await Promise.all(Array.from({ length: 200 }, () => gql(QUERY, { id: ID })));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0]?.body.errors).toBeUndefined();
    expect(emulator.log.map((e) => e.route).sort()).toEqual(['software.get', 'software.getmissingkbs']);
    const text = await metrics();
    expect(series(text, 'tvm_cache_singleflight_joins_total{resource="software.get"}')).toBe(199);
  });

  it('serves stale through a 429 and the pause that follows, without an error and without more calls', async () => {
    const emulator = createEmulator();
    const { gql } = await createRuntimeApp({ emulator, env: ENV });
    await gql(QUERY, { id: ID });
    vi.setSystemTime(T0 + 200_000); // past SWR, inside stale-if-error
    emulator.faults.add({ fault: { kind: 'status', status: 429, retryAfter: 60 } });
    const stale = await gql(QUERY, { id: ID });
    expect(stale.status).toBe(200);
    expect(stale.body.errors).toBeUndefined();
    expect(stale.body.data).toMatchObject({ software: { name: 'windows_11', fetchedAt: iso(T0) } });
    expect((stale.body as { extensions?: unknown }).extensions).toMatchObject({
      stale: true,
      staleResources: 2,
      oldestFetchedAt: iso(T0),
    });
    const statuses = () => emulator.log.map((e) => e.status);
    expect(statuses().filter((s) => s === 429)).toHaveLength(2); // one per endpoint, then the pause
    // While the 429 pause lasts the budget refuses locally: stale again, no upstream call at all.
    const again = await gql(QUERY, { id: ID });
    expect(again.body.errors).toBeUndefined();
    expect(statuses()).toHaveLength(4);
  });
});
