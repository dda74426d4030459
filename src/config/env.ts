import type { OperationLimits } from '../server/planner-defaults.js';
import type { CacheConfig } from '../upstream/cache-policy.js';
import type { ResilienceConfig } from '../upstream/settings.js';
import { CLOUDS, type Cloud, cloudProfile, REGIONS, type Region } from './clouds.js';
import { type Env, httpUrl, integer, oneOf, read } from './env-read.js';
import { cache, limits, redisUrl, resilience } from './env-upstream.js';

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

const CREDENTIAL_VARS = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
    cache: cache(env, errors),
    limits: limits(env, errors),
    responseCacheTtlMs: integer(env, 'GRAPHQL_RESPONSE_CACHE_TTL_MS', 10_000, 0, 3_600_000, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config, warnings };
}
