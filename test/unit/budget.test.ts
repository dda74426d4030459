import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DefenderError } from '../../src/defender/errors.js';
import { type BudgetWindow, createBudget } from '../../src/upstream/budget.js';
import { createMetrics } from '../../src/upstream/metrics.js';
import { createMemoryPauseStore } from '../../src/upstream/pause.js';

const KEY = 'tenant|client|api.security.microsoft.com';
const T0 = Date.UTC(2026, 0, 1);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function budget(windows: BudgetWindow[], maxInFlight = 100) {
  const pause = createMemoryPauseStore();
  const metrics = createMetrics();
  return { budget: createBudget({ windows, maxInFlight, pause, metrics }), pause, metrics };
}

/** Starts `n` acquires and records, per index, 'ok' or the error code once each settles. */
function acquireMany(b: ReturnType<typeof createBudget>, n: number, deadline: number) {
  const outcomes: (string | undefined)[] = Array.from({ length: n }, () => undefined);
  const order: number[] = [];
  const errors: (DefenderError | undefined)[] = [];
  const releases: (() => void)[] = [];
  for (let i = 0; i < n; i += 1) {
    b.acquire(KEY, { deadline }).then(
      (release) => {
        outcomes[i] = 'ok';
        order.push(i);
        releases.push(release);
      },
      (error: DefenderError) => {
        outcomes[i] = error.code;
        errors[i] = error;
      },
    );
  }
  return { outcomes, order, errors, releases };
}

const MINUTE = (limit: number): BudgetWindow => ({ name: 'minute', limit, seconds: 60 });

describe('budget: quota windows', () => {
  it('admits up to the limit at once, queues the rest and admits them FIFO when the window resets', async () => {
    const { budget: b } = budget([MINUTE(3)]);
    const run = acquireMany(b, 5, T0 + 120_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.outcomes).toEqual(['ok', 'ok', 'ok', undefined, undefined]);
    expect(b.waiting(KEY)).toBe(2);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(run.outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(run.order).toEqual([0, 1, 2, 3, 4]);
  });

  it('fails a call at once, with retryAfterSeconds, when the window frees only after its deadline', async () => {
    const { budget: b, metrics } = budget([MINUTE(2)]);
    const run = acquireMany(b, 3, T0 + 10_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.outcomes).toEqual(['ok', 'ok', 'UPSTREAM_RATE_LIMITED']);
    expect(run.errors[2]?.details).toMatchObject({ retryAfterSeconds: 60, local: 'budget' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('tvm_upstream_budget_rejected_total{reason="quota"} 1');
    expect(text).toContain('tvm_upstream_budget_remaining{window="minute"} 0');
  });

  it('a full hour window refuses with the hour wait and does not spend the minute window', async () => {
    const { budget: b } = budget([MINUTE(2), { name: 'hour', limit: 3, seconds: 3600 }]);
    const first = acquireMany(b, 2, T0 + 1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(first.outcomes).toEqual(['ok', 'ok']);
    const second = acquireMany(b, 2, Date.now() + 1000);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.outcomes).toEqual(['ok', 'UPSTREAM_RATE_LIMITED']);
    expect(second.errors[1]?.details.retryAfterSeconds).toBe(3540);
  });

  it('gives back the points of earlier windows when a later window refuses', async () => {
    // slow: 2 per 60 s; fast: 1 per second. The second call is refused by `fast` at t=0; had it kept
    // its `slow` point, `slow` would be full and it could only go at t=60 s, not at t=1 s.
    const { budget: b } = budget([
      { name: 'slow', limit: 2, seconds: 60 },
      { name: 'fast', limit: 1, seconds: 1 },
    ]);
    const run = acquireMany(b, 2, T0 + 120_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(run.outcomes).toEqual(['ok', undefined]);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.outcomes).toEqual(['ok', 'ok']);
  });
});

describe('budget: concurrency cap and deadline', () => {
  it('holds calls beyond the cap until a slot frees, then admits the oldest', async () => {
    const { budget: b } = budget([MINUTE(100)], 2);
    const run = acquireMany(b, 3, T0 + 5000);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.outcomes).toEqual(['ok', 'ok', undefined]);
    run.releases[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(run.outcomes).toEqual(['ok', 'ok', 'ok']);
  });

  it('fails a call still waiting for a slot at its deadline', async () => {
    const { budget: b, metrics } = budget([MINUTE(100)], 1);
    const run = acquireMany(b, 2, T0 + 5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(run.outcomes).toEqual(['ok', undefined]);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.outcomes).toEqual(['ok', 'UPSTREAM_RATE_LIMITED']);
    expect(run.errors[1]?.details).toMatchObject({ retryAfterSeconds: 1, local: 'budget' });
    expect(await metrics.registry.metrics()).toContain(
      'tvm_upstream_budget_rejected_total{reason="concurrency"} 1',
    );
  });

  it('stops waiting when the caller aborts', async () => {
    const { budget: b } = budget([MINUTE(100)], 1);
    await b.acquire(KEY, { deadline: T0 + 5000 });
    const controller = new AbortController();
    const waiting = b.acquire(KEY, { deadline: T0 + 5000, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      details: { local: 'cancelled' },
    });
    expect(b.waiting(KEY)).toBe(0);
  });
});

describe('budget: 429 pause', () => {
  it('admits nothing while paused; a call whose deadline allows waits and goes when the pause ends', async () => {
    const { budget: b, pause } = budget([MINUTE(100)]);
    await pause.pause(KEY, 5000);
    const patient = acquireMany(b, 1, T0 + 10_000);
    const hasty = acquireMany(b, 1, T0 + 3000);
    await vi.advanceTimersByTimeAsync(0);
    expect(hasty.outcomes).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(hasty.errors[0]?.details).toMatchObject({ retryAfterSeconds: 5, local: 'pause' });
    await vi.advanceTimersByTimeAsync(4999);
    expect(patient.outcomes).toEqual([undefined]);
    await vi.advanceTimersByTimeAsync(1);
    expect(patient.outcomes).toEqual(['ok']);
  });

  it('a pause set while calls wait for the window holds them past the window', async () => {
    const { budget: b, pause } = budget([MINUTE(1)]);
    const run = acquireMany(b, 2, T0 + 120_000);
    await vi.advanceTimersByTimeAsync(30_000);
    await pause.pause(KEY, 40_000);
    await vi.advanceTimersByTimeAsync(30_000); // the window reset, but the pause runs to 70 s
    expect(run.outcomes).toEqual(['ok', undefined]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.outcomes).toEqual(['ok', 'ok']);
  });
});
