import { describe, expect, it } from 'vitest';
import { DefenderError } from '../../src/defender/errors.js';
import type { DefenderHttp } from '../../src/defender/http.js';
import { type BreakerState, CircuitBreaker } from '../../src/upstream/breaker.js';
import { createMetrics } from '../../src/upstream/metrics.js';
import { createBreakers, createResilientHttp } from '../../src/upstream/resilient-http.js';

function clock(start = 5_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function breaker(threshold = 3, coolDownMs = 1000) {
  const time = clock();
  const states: BreakerState[] = [];
  const b = new CircuitBreaker({
    failureThreshold: threshold,
    coolDownMs,
    now: time.now,
    onStateChange: (s) => states.push(s),
  });
  const fail = (n: number) => {
    for (let i = 0; i < n; i += 1) b.enter().failure();
  };
  return { b, time, states, fail };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and then refuses at once with UPSTREAM_UNAVAILABLE', () => {
    const { b, fail, states } = breaker(3, 1000);
    fail(2);
    expect(b.state).toBe('closed');
    fail(1);
    expect(b.state).toBe('open');
    expect(states).toEqual(['open']);
    let refusal: unknown;
    try {
      b.enter();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DefenderError);
    expect(refusal).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { local: 'breaker', retryAfterSeconds: 1 },
    });
  });

  it('counts only consecutive failures: an answer from the host resets the count', () => {
    const { b, fail } = breaker(3);
    fail(2);
    b.enter().success();
    fail(2);
    expect(b.state).toBe('closed');
  });

  it('ignores neutral outcomes (calls refused by our own budget)', () => {
    const { b, fail } = breaker(3);
    fail(2);
    for (let i = 0; i < 10; i += 1) b.enter().neutral();
    expect(b.state).toBe('closed');
    fail(1);
    expect(b.state).toBe('open');
  });

  it('after the cool-down lets exactly one probe through; its success closes the circuit', () => {
    const { b, fail, time, states } = breaker(3, 1000);
    fail(3);
    time.advance(999);
    expect(() => b.enter()).toThrow(DefenderError);
    time.advance(1);
    expect(b.state).toBe('half-open');
    const probe = b.enter();
    expect(() => b.enter()).toThrow(/circuit breaker/);
    probe.success();
    expect(b.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    b.enter().success();
  });

  it('a failed probe opens the circuit for another cool-down', () => {
    const { b, fail, time, states } = breaker(3, 1000);
    fail(3);
    time.advance(1000);
    b.enter().failure();
    expect(b.state).toBe('open');
    time.advance(999);
    expect(() => b.enter()).toThrow(DefenderError);
    time.advance(1);
    expect(b.state).toBe('half-open');
    expect(states).toEqual(['open', 'half-open', 'open']);
  });

  it('a neutral probe frees the probe slot without closing', () => {
    const { b, fail, time } = breaker(3, 1000);
    fail(3);
    time.advance(1000);
    b.enter().neutral();
    expect(b.state).toBe('half-open');
    b.enter().success();
    expect(b.state).toBe('closed');
  });
});

describe('createResilientHttp: breaker around retries', () => {
  it('stops retrying once the circuit opens, then answers at once without calling the host', async () => {
    const time = clock();
    let calls = 0;
    const inner: DefenderHttp = {
      async getJson() {
        calls += 1;
        throw new DefenderError('UPSTREAM_UNAVAILABLE', 'down', { status: 503 });
      },
    };
    const metrics = createMetrics();
    const http = createResilientHttp(inner, {
      breakerFor: createBreakers({ failureThreshold: 2, coolDownMs: 30_000, now: time.now, metrics }),
      retry: { maxRetries: 5, random: () => 0, now: time.now },
      now: time.now,
      metrics,
    });
    const url = new URL('https://api.security.microsoft.com/api/Software/x');
    const call = { endpoint: 'software.get', deadline: time.now() + 10_000 };
    await expect(http.getJson(url, call)).rejects.toMatchObject({ details: { local: 'breaker' } });
    expect(calls).toBe(2);
    await expect(http.getJson(url, call)).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { local: 'breaker', retryAfterSeconds: 30 },
    });
    expect(calls).toBe(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tvm_upstream_breaker_state{host="api.security.microsoft.com"} 2');
    expect(text).toContain('tvm_upstream_retries_total{endpoint="software.get",reason="transient"} 2');
  });
});
