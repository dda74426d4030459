import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createRuntimeApp } from '../helpers/runtime-app.js';

/**
 * The budget and resilience layer through the real app, runtime and emulator, on a fake clock: the
 * emulator's storm window, the pause, the budget queue and the retry backoff all read Date.now and
 * setTimeout, which vitest controls, so "5 s" costs no real time and the numbers are exact.
 */
const T0 = Date.UTC(2026, 0, 1, 12);
const EDGE = 'microsoft-_-edge';
const CHROME = 'google-_-chrome';
const OFFICE = 'microsoft-_-office';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

type ByIds = { softwareByIds: ({ id: string; name: string } | null)[] };
const BY_IDS = 'query ($ids: [ID!]!) { softwareByIds(ids: $ids) { id name } }';

function setup(env: Record<string, string>, random?: () => number) {
  const emulator: Emulator = createEmulator();
  return createRuntimeApp({ emulator, env, random }).then((app) => ({ ...app, emulator }));
}

/** Settles a promise while fake time runs, and reports whether it settled before `ms` elapsed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  await vi.advanceTimersByTimeAsync(ms);
  if (!done) throw new Error(`still pending after ${ms} ms of fake time`);
  return tracked;
}

describe('429 storm with Retry-After: 5', () => {
  it('makes no call inside the window, answers within-deadline queries after it, refuses the others', async () => {
    const { gql, emulator, app, metrics } = await setup({ DEFENDER_QUEUE_TIMEOUT_MS: '3000' });
    emulator.faults.add({ match: { route: 'software.*' }, fault: { kind: 'storm', retryAfterSeconds: 5 } });

    // t=0: the first call meets the storm; the pause (5 s) outlasts this operation's deadline (3 s).
    const first = await within(gql<ByIds>(BY_IDS, { ids: [EDGE] }), 0);
    expect(first.body.data?.softwareByIds).toEqual([null]);
    expect(first.body.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_RATE_LIMITED', retryAfterSeconds: 5 }),
    ]);
    expect(first.headers.get('retry-after')).toBe('5');

    // t=1 s: refused at once (deadline 4 s < pause end 5 s), without any upstream call.
    await vi.advanceTimersByTimeAsync(1000);
    const second = await within(gql<ByIds>(BY_IDS, { ids: [CHROME, OFFICE] }), 0);
    expect(second.body.errors?.map((e) => [e.extensions?.code, e.extensions?.retryAfterSeconds])).toEqual([
      ['UPSTREAM_RATE_LIMITED', 4],
      ['UPSTREAM_RATE_LIMITED', 4],
    ]);
    expect(second.headers.get('retry-after')).toBe('4');

    // t=2.5 s: deadline 5.5 s, so it waits for the pause to end and then succeeds.
    await vi.advanceTimersByTimeAsync(1500);
    const third = gql<ByIds>(BY_IDS, { ids: [CHROME, OFFICE] });
    const answered = await within(third, 2500);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data?.softwareByIds.map((s) => s?.name)).toEqual(['chrome', 'office']);
    expect(answered.headers.get('retry-after')).toBeNull();

    expect(emulator.log.map((e) => [e.at - T0, e.status, e.id])).toEqual([
      [0, 429, EDGE],
      [5000, 200, CHROME],
      [5000, 200, OFFICE],
    ]);
    expect((await app.fetch('http://app/health')).status).toBe(200);
    const text = await metrics();
    expect(text).toContain('tvm_upstream_429_total{endpoint="software.get"} 1');
    expect(text).toContain('tvm_upstream_budget_rejected_total{reason="pause"} 3');
  });

  it('an operation with some data does not get Retry-After even when other fields were rate limited', async () => {
    const { gql, emulator } = await setup({ DEFENDER_QUEUE_TIMEOUT_MS: '1000' });
    emulator.faults.add({ match: { id: OFFICE }, fault: { kind: 'status', status: 429, retryAfter: 30 } });
    const answer = await within(gql<ByIds>(BY_IDS, { ids: [EDGE, OFFICE] }), 0);
    expect(answer.body.data?.softwareByIds.map((s) => s?.name ?? null)).toEqual(['edge', null]);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      retryAfterSeconds: 30,
    });
    expect(answer.headers.get('retry-after')).toBeNull();
  });
});

describe('retries', () => {
  it('retries 5xx and resets a bounded number of times, then reports the error; 4xx is never retried', async () => {
    const { gql, emulator, metrics } = await setup({ DEFENDER_MAX_RETRIES: '2' }, () => 0);
    emulator.faults.add({ match: { id: OFFICE }, fault: { kind: 'status', status: 503 } });
    emulator.faults.add({ match: { id: CHROME }, times: 1, fault: { kind: 'reset' } });
    const answer = await within(gql<ByIds>(BY_IDS, { ids: [EDGE, OFFICE, CHROME, 'contoso-_-nothing'] }), 0);
    expect(answer.body.data?.softwareByIds.map((s) => s?.name ?? null)).toEqual([
      'edge',
      null,
      'chrome',
      null,
    ]);
    const errors = answer.body.errors?.map((e) => [e.path?.[1], e.extensions?.code]);
    expect(errors?.sort()).toEqual([
      [1, 'UPSTREAM_UNAVAILABLE'],
      [3, 'NOT_FOUND'],
    ]);
    const perId = (id: string) => emulator.log.filter((e) => e.id === id).map((e) => e.status);
    expect(perId(EDGE)).toEqual([200]);
    expect(perId(OFFICE)).toEqual([503, 503, 503]);
    expect(perId(CHROME)).toEqual([0, 200]);
    expect(perId('contoso-_-nothing')).toEqual([404]);
    const text = await metrics();
    expect(text).toContain('tvm_upstream_retries_total{endpoint="software.get",reason="transient"} 3');
    expect(text).toContain('tvm_upstream_requests_total{endpoint="software.get",status="503"} 3');
    expect(text).toContain('tvm_upstream_requests_total{endpoint="software.get",status="network"} 1');
  });

  it('never starts a retry past the operation deadline', async () => {
    // Backoff ceilings 2 s, 4 s, 8 s at random 0.99 → waits 1980 ms, then 3960 ms (past the 5 s deadline).
    const env = {
      DEFENDER_MAX_RETRIES: '5',
      DEFENDER_RETRY_BASE_MS: '2000',
      DEFENDER_QUEUE_TIMEOUT_MS: '5000',
    };
    const { gql, emulator } = await setup(env, () => 0.99);
    emulator.faults.add({ match: { id: OFFICE }, fault: { kind: 'status', status: 500 } });
    const pending = gql<ByIds>(BY_IDS, { ids: [OFFICE] });
    const answer = await within(pending, 1980);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(emulator.log.map((e) => e.at - T0)).toEqual([0, 1980]);
  });
});

describe('circuit breaker per host', () => {
  it('opens after 3 consecutive failures, answers at once while open, closes after a good probe', async () => {
    const env = {
      DEFENDER_BREAKER_THRESHOLD: '3',
      DEFENDER_BREAKER_COOLDOWN_MS: '1000',
      DEFENDER_MAX_RETRIES: '0',
      DEFENDER_MAX_CONCURRENCY: '1',
    };
    const { gql, emulator, metrics } = await setup(env);
    const outage = emulator.faults.add({
      match: { route: 'software.get' },
      fault: { kind: 'status', status: 502 },
    });
    const ids = emulator.dataset.software.slice(0, 5).map((s) => s.id);
    const down = await within(gql<ByIds>(BY_IDS, { ids }), 0);
    expect(down.body.errors?.map((e) => [e.extensions?.code, e.extensions?.retryAfterSeconds])).toEqual([
      ['UPSTREAM_UNAVAILABLE', undefined],
      ['UPSTREAM_UNAVAILABLE', undefined],
      ['UPSTREAM_UNAVAILABLE', undefined],
      ['UPSTREAM_UNAVAILABLE', 1],
      ['UPSTREAM_UNAVAILABLE', 1],
    ]);
    expect(emulator.log).toHaveLength(3);
    expect(await metrics()).toContain('tvm_upstream_breaker_state{host="api.security.microsoft.com"} 2');

    // Still open at 999 ms: no call. At 1000 ms one probe goes; its success closes the circuit.
    outage.remove();
    await vi.advanceTimersByTimeAsync(999);
    const early = await within(gql<ByIds>(BY_IDS, { ids: [ids[0]] }), 0);
    expect(early.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(emulator.log).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    const up = await within(gql<ByIds>(BY_IDS, { ids: ids.slice(0, 2) }), 0);
    expect(up.body.errors).toBeUndefined();
    expect(emulator.log.slice(3).map((e) => e.status)).toEqual([200, 200]);
    expect(await metrics()).toContain('tvm_upstream_breaker_state{host="api.security.microsoft.com"} 0');
  });
});
