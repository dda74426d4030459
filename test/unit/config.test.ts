import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';

const AZURE = {
  AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
  AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  AZURE_CLIENT_SECRET: 's3cr3t',
};

function ok(env: Record<string, string>) {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.config;
}

describe('parseConfig', () => {
  it('runs in demo mode with defaults when no Azure variable is set', () => {
    const config = ok({});
    expect(config.credentials).toEqual({ mode: 'demo' });
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      cloud: 'public',
      apiRoot: 'https://api.security.microsoft.com/api',
    });
  });

  it('builds client-secret credentials for the public cloud', () => {
    expect(ok(AZURE).credentials).toEqual({
      mode: 'azure',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: AZURE.AZURE_CLIENT_ID,
      credential: { kind: 'secret', secret: 's3cr3t' },
      authorityHost: 'https://login.microsoftonline.com',
      scope: 'https://api.securitycenter.microsoft.com/.default',
    });
  });

  it.each([
    [
      'gcc',
      'https://login.microsoftonline.com',
      'https://api-gcc.securitycenter.microsoft.us/api',
      'https://api-gcc.securitycenter.microsoft.us/.default',
    ],
    [
      'gcc-high',
      'https://login.microsoftonline.us',
      'https://api-gov.securitycenter.microsoft.us/api',
      'https://api-gov.securitycenter.microsoft.us/.default',
    ],
    [
      'dod',
      'https://login.microsoftonline.us',
      'https://api-gov.securitycenter.microsoft.us/api',
      'https://api-gov.securitycenter.microsoft.us/.default',
    ],
  ])('picks hosts and scope for DEFENDER_CLOUD=%s', (cloud, authority, apiRoot, scope) => {
    const config = ok({ ...AZURE, DEFENDER_CLOUD: cloud });
    expect(config.apiRoot).toBe(apiRoot);
    expect(config.credentials).toMatchObject({ authorityHost: authority, scope });
  });

  it('uses a regional host and lets DEFENDER_API_URL, DEFENDER_SCOPE and AZURE_AUTHORITY_HOST override', () => {
    expect(ok({ ...AZURE, DEFENDER_REGION: 'EU' }).apiRoot).toBe('https://eu.api.security.microsoft.com/api');
    const config = ok({
      ...AZURE,
      DEFENDER_API_URL: 'http://127.0.0.1:4010/',
      DEFENDER_SCOPE: 'https://securitycenter.onmicrosoft.com/windowsatpservice/.default',
      AZURE_AUTHORITY_HOST: 'http://127.0.0.1:5000/',
    });
    expect(config.apiRoot).toBe('http://127.0.0.1:4010/api');
    expect(config.credentials).toMatchObject({
      authorityHost: 'http://127.0.0.1:5000',
      scope: 'https://securitycenter.onmicrosoft.com/windowsatpservice/.default',
    });
    expect(ok({ ...AZURE, DEFENDER_API_URL: 'https://proxy.example/defender/api/v1.0' }).apiRoot).toBe(
      'https://proxy.example/defender/api/v1.0',
    );
  });

  it('reads a certificate credential with its password', () => {
    const { AZURE_CLIENT_SECRET: _, ...rest } = AZURE;
    const config = ok({
      ...rest,
      AZURE_CLIENT_CERTIFICATE_PATH: '/etc/app.pem',
      AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pw',
    });
    expect(config.credentials).toMatchObject({
      credential: { kind: 'certificate', pemPath: '/etc/app.pem', password: 'pw' },
    });
  });

  it('reports a partial credential set instead of falling back to demo mode', () => {
    const result = parseConfig({ AZURE_CLIENT_ID: AZURE.AZURE_CLIENT_ID });
    expect(result).toEqual({
      ok: false,
      errors: [
        'AZURE_TENANT_ID is missing (the directory id or domain of your tenant)',
        'Azure credentials need AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH; neither is set',
      ],
    });
  });

  it('reports every problem at once', () => {
    const result = parseConfig({
      PORT: 'eighty',
      DEFENDER_CLOUD: 'moon',
      DEFENDER_REGION: 'mars',
      DEFENDER_API_URL: 'ftp://x',
      AZURE_CLIENT_SECRET: 'x',
      LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(7);
    for (const name of [
      'PORT',
      'DEFENDER_CLOUD',
      'DEFENDER_REGION',
      'DEFENDER_API_URL',
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'LOG_LEVEL',
    ]) {
      expect(errors.some((e) => e.startsWith(name))).toBe(true);
    }
    expect(errors.join('\n')).not.toContain('"x"');
  });

  it('rejects DEFENDER_API_URL without credentials and a region outside the public cloud', () => {
    const result = parseConfig({
      DEFENDER_API_URL: 'http://127.0.0.1:4010',
      DEFENDER_CLOUD: 'gcc',
      DEFENDER_REGION: 'eu',
    });
    expect(result.ok ? [] : result.errors).toEqual([
      'DEFENDER_REGION applies to the public cloud only, not "gcc"',
      expect.stringContaining('DEFENDER_API_URL is set but no Azure credentials are'),
    ]);
  });

  it('treats blank variables as unset', () => {
    expect(ok({ AZURE_CLIENT_ID: ' ', PORT: '' }).credentials).toEqual({ mode: 'demo' });
  });

  it('reads the cache windows, with documented defaults, and reports bad ones together', () => {
    expect(ok({}).cache).toEqual({
      ttlSeconds: { byEndpoint: {} },
      swrSeconds: 300,
      staleIfErrorSeconds: 3600,
      negativeTtlSeconds: 60,
      maxMb: 256,
    });
    expect(
      ok({
        DEFENDER_CACHE_TTL_SECONDS: '120,software.list=30',
        DEFENDER_CACHE_SWR_SECONDS: '0',
        DEFENDER_CACHE_STALE_IF_ERROR_SECONDS: '86400',
        DEFENDER_CACHE_NEGATIVE_TTL_SECONDS: '5',
        DEFENDER_CACHE_MAX_MB: '64',
      }).cache,
    ).toEqual({
      ttlSeconds: { default: 120, byEndpoint: { 'software.list': 30 } },
      swrSeconds: 0,
      staleIfErrorSeconds: 86400,
      negativeTtlSeconds: 5,
      maxMb: 64,
    });
    const result = parseConfig({ DEFENDER_CACHE_TTL_SECONDS: 'soon', DEFENDER_CACHE_MAX_MB: '-1' });
    expect(result.ok ? [] : result.errors).toEqual([
      'DEFENDER_CACHE_TTL_SECONDS: "soon" needs whole seconds from 0 to 604800, e.g. "600" or "600,software.list=60"',
      'DEFENDER_CACHE_MAX_MB must be an integer from 0 to 1048576, got "-1"',
    ]);
  });

  it('reads the budget, retry and breaker variables with documented defaults', () => {
    expect(ok({}).resilience).toEqual({
      queueTimeoutMs: 10_000,
      perMinute: 100,
      perHour: 1500,
      maxInFlight: 20,
      maxRetries: 2,
      retryBaseMs: 200,
      breakerThreshold: 5,
      breakerCooldownMs: 30_000,
    });
    expect(ok({}).redisUrl).toBeUndefined();
    const config = ok({
      REDIS_URL: 'redis://:pw@cache.internal:6380/2',
      DEFENDER_QUEUE_TIMEOUT_MS: '2500',
      DEFENDER_RATE_LIMIT_PER_MINUTE: '10',
      DEFENDER_RATE_LIMIT_PER_HOUR: '300',
      DEFENDER_MAX_IN_FLIGHT: '4',
      DEFENDER_MAX_RETRIES: '0',
      DEFENDER_RETRY_BASE_MS: '50',
      DEFENDER_BREAKER_THRESHOLD: '2',
      DEFENDER_BREAKER_COOLDOWN_MS: '1000',
    });
    expect(config.redisUrl).toBe('redis://:pw@cache.internal:6380/2');
    expect(config.resilience).toEqual({
      queueTimeoutMs: 2500,
      perMinute: 10,
      perHour: 300,
      maxInFlight: 4,
      maxRetries: 0,
      retryBaseMs: 50,
      breakerThreshold: 2,
      breakerCooldownMs: 1000,
    });
  });

  it('reports bad budget variables together and never echoes REDIS_URL (it may hold a password)', () => {
    const result = parseConfig({
      REDIS_URL: 'http://user:hunter2@cache:6379',
      DEFENDER_RATE_LIMIT_PER_MINUTE: '0',
      DEFENDER_QUEUE_TIMEOUT_MS: 'ten',
      DEFENDER_MAX_RETRIES: '11',
    });
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0',
      'DEFENDER_QUEUE_TIMEOUT_MS must be an integer from 0 to 600000, got "ten"',
      'DEFENDER_RATE_LIMIT_PER_MINUTE must be an integer from 1 to 1000000, got "0"',
      'DEFENDER_MAX_RETRIES must be an integer from 0 to 10, got "11"',
    ]);
    expect(errors.join('\n')).not.toContain('hunter2');
  });

  it('reads the planner and shape limits, defaulting to 100 calls, and reports bad ones together', () => {
    expect(ok({}).limits).toEqual({
      maxCallsPerOperation: 100,
      assumedListSize: 1000,
      maxDepth: 10,
      maxAliases: 30,
      maxTokens: 2000,
    });
    expect(
      ok({
        DEFENDER_MAX_CALLS_PER_OPERATION: '250',
        DEFENDER_ASSUMED_LIST_SIZE: '50',
        GRAPHQL_MAX_DEPTH: '6',
        GRAPHQL_MAX_ALIASES: '0',
        GRAPHQL_MAX_TOKENS: '800',
      }).limits,
    ).toEqual({ maxCallsPerOperation: 250, assumedListSize: 50, maxDepth: 6, maxAliases: 0, maxTokens: 800 });
    const result = parseConfig({
      DEFENDER_MAX_CALLS_PER_OPERATION: '0',
      GRAPHQL_MAX_DEPTH: '2',
      GRAPHQL_MAX_TOKENS: '100',
      PORT: 'x',
    });
    expect(result.ok ? [] : result.errors).toEqual([
      'PORT must be an integer from 0 to 65535, got "x"',
      'DEFENDER_MAX_CALLS_PER_OPERATION must be an integer from 1 to 1000000, got "0"',
      'GRAPHQL_MAX_DEPTH must be an integer from 3 to 1000, got "2"',
      'GRAPHQL_MAX_TOKENS must be an integer from 500 to 1000000, got "100"',
    ]);
  });
});
