import { DEFAULT_LIMITS as LIMITS, type OperationLimits } from '../server/planner-defaults.js';
import { DEFAULT_CACHE_CONFIG as CACHE, type CacheConfig, parseTtlSpec } from '../upstream/cache-policy.js';
import { DEFAULT_RESILIENCE as RES, type ResilienceConfig } from '../upstream/settings.js';
import { CLOUDS, type Cloud, cloudProfile, REGIONS, type Region } from './clouds.js';

/** How the app authenticates to Defender: a real app registration, or the in-process demo emulator. */
export type Credentials =
  | { mode: 'demo' }
  | {
      mode: 'azure';
      tenantId: string;
      clientId: string;
      credential:
        | { kind: 'secret'; secret: string }
        | { kind: 'certificate'; pemPath: string; password?: string };
      authorityHost: string;
      scope: string;
    };

/** The whole validated configuration. Nothing else in the app reads `process.env`. */
export interface Config {
  port: number;
  host: string;
  cloud: Cloud;
  region?: Region;
  /** Defender API root ending in `/api` (or `/api/v1.0`), e.g. `https://api.security.microsoft.com/api`. */
  apiRoot: string;
  credentials: Credentials;
  /** Per-call timeout for Defender requests. */
  timeoutMs: number;
  /** How many Defender calls one DataLoader batch may have in flight. */
  maxConcurrency: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Artificial latency of the demo emulator, to make demo timings realistic. */
  demoLatencyMs: number;
  /** `REDIS_URL`: shares the upstream budget, 429 pauses and cache across replicas. May hold a password. */
  redisUrl?: string;
  /** Upstream budget, retries and circuit breaker; README "Upstream budget". */
  resilience: ResilienceConfig;
  /** Cache windows (seconds) and in-memory bound (MB); README "Caching and staleness". */
  cache: CacheConfig;
  /** Call planning and depth/alias/token limits per operation; README "Planning and limits". */
  limits: OperationLimits;
  /** How long a clean answer is reused for the same operation and variables (0: off). */
  responseCacheTtlMs: number;
}

export type ParseResult = { ok: true; config: Config; warnings: string[] } | { ok: false; errors: string[] };

type Env = Record<string, string | undefined>;

const CREDENTIAL_VARS = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads a variable, treating blank values as unset (shells often export `VAR=`). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  errors: string[],
): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    errors.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** `DEFENDER_CACHE_TTL_SECONDS`: `600` and/or `software.list=60,…` (see `parseTtlSpec`). */
function cacheTtl(env: Env, errors: string[]): CacheConfig['ttlSeconds'] {
  const raw = read(env, 'DEFENDER_CACHE_TTL_SECONDS');
  const parsed = raw === undefined ? { ok: true as const, value: CACHE.ttlSeconds } : parseTtlSpec(raw);
  if (parsed.ok) return parsed.value;
  errors.push(`DEFENDER_CACHE_TTL_SECONDS: ${parsed.error}, e.g. "600" or "600,software.list=60"`);
  return CACHE.ttlSeconds;
}

/** `REDIS_URL`: redis:// or rediss://; never echoed in errors, because it may carry a password. */
function redisUrl(env: Env, errors: string[]): string | undefined {
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
function resilience(env: Env, errors: string[]): ResilienceConfig {
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
function limits(env: Env, errors: string[]): OperationLimits {
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

function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  errors: string[],
): T | undefined {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  errors.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return undefined;
}

/** Parses an http(s) URL, returning it without a trailing slash. */
function httpUrl(env: Env, name: string, errors: string[]): URL | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash) return url;
  } catch {
    // reported below
  }
  errors.push(`${name} must be an absolute http(s) URL without query or fragment, got "${raw}"`);
  return undefined;
}

/**
 * Accepts a Defender base URL with or without the `/api` root (people paste both forms) and returns the
 * API root: `https://host` → `https://host/api`; `https://host/api/v1.0` stays as it is.
 */
export function toApiRoot(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api(\/v1\.0)?$/i.test(path)) return `${url.origin}${path}`;
  return `${url.origin}${path}/api`;
}

function parseCredentials(env: Env, cloud: Cloud, errors: string[], warnings: string[]): Credentials {
  const set = CREDENTIAL_VARS.filter((name) => read(env, name) !== undefined);
  const profile = cloudProfile(cloud);
  const authority = httpUrl(env, 'AZURE_AUTHORITY_HOST', errors);
  if (set.length === 0) {
    if (read(env, 'DEFENDER_API_URL')) {
      errors.push(
        'DEFENDER_API_URL is set but no Azure credentials are: set AZURE_TENANT_ID, AZURE_CLIENT_ID and ' +
          'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or unset DEFENDER_API_URL to run on demo data',
      );
    }
    return { mode: 'demo' };
  }
  const tenantId = read(env, 'AZURE_TENANT_ID');
  const clientId = read(env, 'AZURE_CLIENT_ID');
  const secret = read(env, 'AZURE_CLIENT_SECRET');
  const pemPath = read(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
  const password = read(env, 'AZURE_CLIENT_CERTIFICATE_PASSWORD');
  if (!tenantId) errors.push('AZURE_TENANT_ID is missing (the directory id or domain of your tenant)');
  else if (!/^[A-Za-z0-9.-]+$/.test(tenantId))
    errors.push(`AZURE_TENANT_ID "${tenantId}" is not a tenant id or domain`);
  if (!clientId) errors.push('AZURE_CLIENT_ID is missing (the application id of your app registration)');
  else if (!/^[A-Za-z0-9._-]+$/.test(clientId))
    errors.push(`AZURE_CLIENT_ID "${clientId}" is not an application id`);
  if (!secret && !pemPath) {
    errors.push(
      'Azure credentials need AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH; neither is set',
    );
  }
  if (password && !pemPath)
    errors.push('AZURE_CLIENT_CERTIFICATE_PASSWORD is set without AZURE_CLIENT_CERTIFICATE_PATH');
  if (secret && pemPath)
    warnings.push(
      'both AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are set; using the secret, as the Azure SDK does',
    );
  const credential = secret
    ? ({ kind: 'secret', secret } as const)
    : ({ kind: 'certificate', pemPath: pemPath ?? '', ...(password ? { password } : {}) } as const);
  return {
    mode: 'azure',
    tenantId: tenantId ?? '',
    clientId: clientId ?? '',
    credential,
    authorityHost: authority ? authority.href.replace(/\/+$/, '') : profile.authorityHost,
    scope: read(env, 'DEFENDER_SCOPE') ?? profile.scope,
  };
}

/**
 * Validates an environment record into a {@link Config}. Pure: it reads only `env` and reports every
 * problem at once, so an operator fixes the whole deployment in one round.
 */
export function parseConfig(env: Env): ParseResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const cloud = oneOf(env, 'DEFENDER_CLOUD', CLOUDS, errors) ?? 'public';
  const region = oneOf(env, 'DEFENDER_REGION', REGIONS, errors);
  if (region && cloud !== 'public')
    errors.push(`DEFENDER_REGION applies to the public cloud only, not "${cloud}"`);
  const apiUrl = httpUrl(env, 'DEFENDER_API_URL', errors);
  const credentials = parseCredentials(env, cloud, errors, warnings);
  const scope = read(env, 'DEFENDER_SCOPE');
  if (scope && !/^https?:\/\/\S+$/.test(scope) && !/^[\w.-]+\/\S+$/.test(scope)) {
    errors.push(`DEFENDER_SCOPE must look like https://<resource>/.default, got "${scope}"`);
  }
  const redis = redisUrl(env, errors);
  const config: Config = {
    port: integer(env, 'PORT', 4000, 0, 65535, errors),
    host: read(env, 'HOST') ?? '127.0.0.1',
    cloud,
    ...(region ? { region } : {}),
    apiRoot: toApiRoot(apiUrl ?? new URL(cloudProfile(cloud, region).apiUrl)),
    credentials,
    timeoutMs: integer(env, 'DEFENDER_TIMEOUT_MS', 30_000, 100, 600_000, errors),
    maxConcurrency: integer(env, 'DEFENDER_MAX_CONCURRENCY', 10, 1, 100, errors),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, errors) ?? 'info',
    demoLatencyMs: integer(env, 'DEMO_LATENCY_MS', 0, 0, 60_000, errors),
    ...(redis ? { redisUrl: redis } : {}),
    resilience: resilience(env, errors),
    cache: {
      ttlSeconds: cacheTtl(env, errors),
      swrSeconds: integer(env, 'DEFENDER_CACHE_SWR_SECONDS', CACHE.swrSeconds, 0, 604_800, errors),
      staleIfErrorSeconds: integer(
        env,
        'DEFENDER_CACHE_STALE_IF_ERROR_SECONDS',
        CACHE.staleIfErrorSeconds,
        0,
        604_800,
        errors,
      ),
      negativeTtlSeconds: integer(
        env,
        'DEFENDER_CACHE_NEGATIVE_TTL_SECONDS',
        CACHE.negativeTtlSeconds,
        0,
        86_400,
        errors,
      ),
      maxMb: integer(env, 'DEFENDER_CACHE_MAX_MB', CACHE.maxMb, 0, 1_048_576, errors),
    },
    limits: limits(env, errors),
    responseCacheTtlMs: integer(env, 'GRAPHQL_RESPONSE_CACHE_TTL_MS', 10_000, 0, 3_600_000, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config, warnings };
}
