import { describe, expect, it } from 'vitest';
import { createCachePolicy, FALLBACK_TTL_SECONDS, parseTtlSpec } from '../../src/upstream/cache-policy.js';

describe('createCachePolicy', () => {
  it('has built-in TTLs per endpoint and a fallback for drill-down endpoints', () => {
    const policy = createCachePolicy();
    expect(policy.forEndpoint('software.get')).toEqual({
      ttlMs: 900_000,
      swrMs: 300_000,
      staleIfErrorMs: 3_600_000,
      retainMs: 900_000 + 3_600_000,
    });
    expect(policy.forEndpoint('software.getmissingkbs').ttlMs).toBe(900_000);
    expect(policy.forEndpoint('software.list').ttlMs).toBe(300_000);
    for (const endpoint of ['software.distributions', 'machines.get', 'vulnerabilities.get']) {
      expect(policy.forEndpoint(endpoint).ttlMs).toBe(FALLBACK_TTL_SECONDS * 1000);
    }
    expect(policy.negativeTtlMs).toBe(60_000);
  });

  it('lets a configured default replace the built-ins and a per-endpoint value win over both', () => {
    const policy = createCachePolicy({
      ttlSeconds: { default: 30, byEndpoint: { 'software.list': 5 } },
      swrSeconds: 400,
      staleIfErrorSeconds: 100,
    });
    expect(policy.forEndpoint('software.get')).toEqual({
      ttlMs: 30_000,
      swrMs: 400_000,
      staleIfErrorMs: 100_000,
      retainMs: 430_000,
    });
    expect(policy.forEndpoint('software.list').ttlMs).toBe(5_000);
    expect(policy.forEndpoint('machines.get').ttlMs).toBe(30_000);
  });
});

describe('parseTtlSpec', () => {
  it('reads a bare default, per-endpoint overrides, or both', () => {
    expect(parseTtlSpec('600')).toEqual({ ok: true, value: { default: 600, byEndpoint: {} } });
    expect(parseTtlSpec('software.list=60, machines.get = 0')).toEqual({
      ok: true,
      value: { byEndpoint: { 'software.list': 60, 'machines.get': 0 } },
    });
    expect(parseTtlSpec('120,software.getmissingkbs=1800')).toEqual({
      ok: true,
      value: { default: 120, byEndpoint: { 'software.getmissingkbs': 1800 } },
    });
  });

  it.each([
    ['-1', '"-1" needs whole seconds from 0 to 604800'],
    ['1.5', '"1.5" needs whole seconds from 0 to 604800'],
    ['700000', '"700000" needs whole seconds from 0 to 604800'],
    ['software.list=', '"software.list=" needs whole seconds from 0 to 604800'],
    ['1,2', 'more than one default TTL'],
    ['Software=5', '"Software" is not an endpoint template such as software.get'],
    ['', '"" needs whole seconds from 0 to 604800'],
  ])('rejects %j', (raw, error) => {
    expect(parseTtlSpec(raw)).toEqual({ ok: false, error });
  });
});
