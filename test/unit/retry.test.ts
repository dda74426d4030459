import { describe, expect, it } from 'vitest';
import { DefenderError } from '../../src/defender/errors.js';
import { backoffDelay, type RetryCall, withRetries } from '../../src/upstream/retry.js';

/** A clock that only moves when the injected sleep is called, plus the delays that were slept. */
function virtualTime(start = 1_000_000) {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

const unavailable = () => new DefenderError('UPSTREAM_UNAVAILABLE', 'down', { status: 503 });
const transientOnly: RetryCall['classify'] = (e) =>
  e instanceof DefenderError && e.code === 'UPSTREAM_UNAVAILABLE' && !e.details.local ? 'backoff' : undefined;

/** Runs `withRetries` over a failing-then-maybe-succeeding attempt; returns attempts and outcome. */
async function run(options: {
  failures: number;
  error?: () => unknown;
  deadlineMs?: number;
  maxRetries?: number;
  random?: () => number;
  classify?: RetryCall['classify'];
}) {
  const time = virtualTime();
  let attempts = 0;
  const started: number[] = [];
  const outcome = await withRetries(
    async () => {
      attempts += 1;
      started.push(time.now());
      if (attempts <= options.failures) throw (options.error ?? unavailable)();
      return 'ok';
    },
    { deadline: time.now() + (options.deadlineMs ?? 60_000), classify: options.classify ?? transientOnly },
    {
      maxRetries: options.maxRetries ?? 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: options.random ?? (() => 0.5),
      now: time.now,
      sleep: time.sleep,
    },
  ).catch((error: unknown) => error);
  return { attempts, outcome, slept: time.slept, started };
}

describe('backoffDelay: exponential with full jitter', () => {
  it('draws uniformly below base·2^retry, capped at the maximum', () => {
    const half = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
    expect([0, 1, 2, 3, 4, 5].map((r) => backoffDelay(r, half))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelay(3, { ...half, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...half, random: () => 0.999 })).toBe(799);
  });
});

describe('withRetries', () => {
  it('retries transient failures with growing jittered delays and returns the success', async () => {
    const result = await run({ failures: 2 });
    expect(result).toMatchObject({ attempts: 3, outcome: 'ok', slept: [50, 100] });
  });

  it('stops after maxRetries and throws the last error', async () => {
    const result = await run({ failures: 10, maxRetries: 2 });
    expect(result.attempts).toBe(3);
    expect(result.outcome).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it.each([
    ['404', () => new DefenderError('NOT_FOUND', 'x', { status: 404 })],
    ['403', () => new DefenderError('UPSTREAM_FORBIDDEN', 'x', { status: 403 })],
    ['400', () => new DefenderError('BAD_USER_INPUT', 'x', { status: 400 })],
    ['bad body', () => new DefenderError('UPSTREAM_BAD_RESPONSE', 'x', { status: 200 })],
    ['breaker open', () => new DefenderError('UPSTREAM_UNAVAILABLE', 'x', { local: 'breaker' })],
  ])('does not retry %s', async (_name, error) => {
    const result = await run({ failures: 10, error });
    expect(result.attempts).toBe(1);
  });

  it('never starts an attempt at or past the deadline', async () => {
    // Delays at random 0.999: 99, 199, 399 → attempts at +0, +99, +298; the next would start at +697.
    const result = await run({ failures: 10, deadlineMs: 600, random: () => 0.999 });
    expect(result.attempts).toBe(3);
    expect(result.slept).toEqual([99, 199]);
    expect(Math.max(...result.started) - 1_000_000).toBeLessThan(600);
  });

  it('uses the wait the classifier names (0 after a 429: the budget holds the attempt)', async () => {
    const limited = () =>
      new DefenderError('UPSTREAM_RATE_LIMITED', 'x', { status: 429, retryAfterSeconds: 5 });
    const result = await run({ failures: 1, error: limited, classify: () => 0 });
    expect(result).toMatchObject({ attempts: 2, outcome: 'ok', slept: [] });
  });
});
