import { DEFAULT_LIMITS as LIMITS, type OperationLimits } from '../server/planner-defaults.js';
import { DEFAULT_CACHE_CONFIG as CACHE, type CacheConfig, parseTtlSpec } from '../upstream/cache-policy.js';
import { DEFAULT_RESILIENCE as RES, type ResilienceConfig } from '../upstream/settings.js';
import { type Env, integer, read } from './env-read.js';

/**
 * The variables of the upstream layer: Redis, budget/retries/breaker, cache windows and the
 * per-operation limits. Each reader adds its problems to `errors` so `parseConfig` reports all at once.
 */

/** `DEFENDER_CACHE_TTL_SECONDS`: `600` and/or `software.list=60,…` (see `parseTtlSpec`). */
function cacheTtl(env: Env, errors: string[]): CacheConfig['ttlSeconds'] {
  const raw = read(env, 'DEFENDER_CACHE_TTL_SECONDS');
  const parsed = raw === undefined ? { ok: true as const, value: CACHE.ttlSeconds } : parseTtlSpec(raw);
  if (parsed.ok) return parsed.value;
  errors.push(`DEFENDER_CACHE_TTL_SECONDS: ${parsed.error}, e.g. "600" or "600,software.list=60"`);
  return CACHE.ttlSeconds;
}

/** `REDIS_URL`: redis:// or rediss://; never echoed in errors, because it may carry a password. */
export function redisUrl(env: Env, errors: string[]): string | undefined {
  const raw = read(env, 'REDIS_URL');
  if (raw === undefined) return undefined;
  try {
    if (['redis:', 'rediss:'].includes(new URL(raw).protocol)) return raw;
  } catch {
    // reported below
  }
  errors.push('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0');
  return undefined;
}

/** The DEFENDER_* budget, retry and breaker variables. */
export function resilience(env: Env, errors: string[]): ResilienceConfig {
  const int = (name: string, fallback: number, min: number, max: number) =>
    integer(env, name, fallback, min, max, errors);
  return {
    queueTimeoutMs: int('DEFENDER_QUEUE_TIMEOUT_MS', RES.queueTimeoutMs, 0, 600_000),
    perMinute: int('DEFENDER_RATE_LIMIT_PER_MINUTE', RES.perMinute, 1, 1_000_000),
    perHour: int('DEFENDER_RATE_LIMIT_PER_HOUR', RES.perHour, 1, 100_000_000),
    maxInFlight: int('DEFENDER_MAX_IN_FLIGHT', RES.maxInFlight, 1, 1000),
    maxRetries: int('DEFENDER_MAX_RETRIES', RES.maxRetries, 0, 10),
    retryBaseMs: int('DEFENDER_RETRY_BASE_MS', RES.retryBaseMs, 1, 60_000),
    breakerThreshold: int('DEFENDER_BREAKER_THRESHOLD', RES.breakerThreshold, 1, 1000),
    breakerCooldownMs: int('DEFENDER_BREAKER_COOLDOWN_MS', RES.breakerCooldownMs, 100, 3_600_000),
  };
}

/** The per-operation limits; minimums keep GraphiQL's introspection and federation queries working. */
export function limits(env: Env, errors: string[]): OperationLimits {
  const int = (name: string, fallback: number, min: number, max: number) =>
    integer(env, name, fallback, min, max, errors);
  return {
    maxCallsPerOperation: int('DEFENDER_MAX_CALLS_PER_OPERATION', LIMITS.maxCallsPerOperation, 1, 1_000_000),
    assumedListSize: int('DEFENDER_ASSUMED_LIST_SIZE', LIMITS.assumedListSize, 1, 1_000_000),
    maxDepth: int('GRAPHQL_MAX_DEPTH', LIMITS.maxDepth, 3, 1000),
    maxAliases: int('GRAPHQL_MAX_ALIASES', LIMITS.maxAliases, 0, 10_000),
    maxTokens: int('GRAPHQL_MAX_TOKENS', LIMITS.maxTokens, 500, 1_000_000),
  };
}

/** The DEFENDER_CACHE_* variables. */
export function cache(env: Env, errors: string[]): CacheConfig {
  const int = (name: string, fallback: number, min: number, max: number) =>
    integer(env, name, fallback, min, max, errors);
  return {
    ttlSeconds: cacheTtl(env, errors),
    swrSeconds: int('DEFENDER_CACHE_SWR_SECONDS', CACHE.swrSeconds, 0, 604_800),
    staleIfErrorSeconds: int('DEFENDER_CACHE_STALE_IF_ERROR_SECONDS', CACHE.staleIfErrorSeconds, 0, 604_800),
    negativeTtlSeconds: int('DEFENDER_CACHE_NEGATIVE_TTL_SECONDS', CACHE.negativeTtlSeconds, 0, 86_400),
    maxMb: int('DEFENDER_CACHE_MAX_MB', CACHE.maxMb, 0, 1_048_576),
  };
}
