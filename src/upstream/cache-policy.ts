/**
 * How long each upstream resource stays fresh, may be served stale while it is refreshed, and may be
 * served stale when Defender fails. Keyed by endpoint template (the `endpoint` of a call, as logged).
 *
 * Defender recomputes TVM data every few hours, so minutes of freshness lose little and save a
 * rationed budget (about 100 calls per minute per tenant). Lists change faster than one entity's
 * counters matter, hence the shorter default for them.
 */

/** Built-in fresh TTLs in seconds, per endpoint template; `DEFENDER_CACHE_TTL_SECONDS` overrides them. */
export const DEFAULT_TTL_SECONDS: Readonly<Record<string, number>> = {
  'software.get': 900,
  'software.getmissingkbs': 900,
  'software.list': 300,
};

/** Fresh TTL of every endpoint not listed in {@link DEFAULT_TTL_SECONDS} (drill-downs: machines, vulnerabilities, …). */
export const FALLBACK_TTL_SECONDS = 600;

/** Cache configuration as parsed from the environment (seconds, megabytes). */
export interface CacheConfig {
  /** Fresh TTL: `default` for every endpoint not in `byEndpoint`; unset → built-in defaults. */
  ttlSeconds: { default?: number; byEndpoint: Record<string, number> };
  /** Window after the fresh TTL in which a value is served stale while one background call refreshes it. @default 300 */
  swrSeconds: number;
  /** Window after the fresh TTL in which a value is served stale when Defender fails (429, 5xx, timeout, breaker open). @default 3600 */
  staleIfErrorSeconds: number;
  /** How long a 404 is remembered. @default 60 */
  negativeTtlSeconds: number;
  /** Bound of the in-memory cache, in megabytes of cached JSON. @default 256 */
  maxMb: number;
}

/** The defaults of {@link CacheConfig}. */
export const DEFAULT_CACHE_CONFIG: CacheConfig = {
  ttlSeconds: { byEndpoint: {} },
  swrSeconds: 300,
  staleIfErrorSeconds: 3600,
  negativeTtlSeconds: 60,
  maxMb: 256,
};

/** The windows of one endpoint, in milliseconds. */
export interface EndpointPolicy {
  ttlMs: number;
  swrMs: number;
  staleIfErrorMs: number;
  /** How long an entry must be kept: the longest window that can still serve it. */
  retainMs: number;
}

/** Resolves the windows of an endpoint template. */
export interface CachePolicy {
  forEndpoint(endpoint: string): EndpointPolicy;
  /** How long a NOT_FOUND is remembered, in milliseconds (0: not at all). */
  negativeTtlMs: number;
}

/**
 * Builds the policy from configuration: an explicit per-endpoint TTL wins, then the configured
 * default, then the built-in per-endpoint default, then {@link FALLBACK_TTL_SECONDS}.
 */
export function createCachePolicy(config: Partial<CacheConfig> = {}): CachePolicy {
  const merged = { ...DEFAULT_CACHE_CONFIG, ...config };
  const swrMs = merged.swrSeconds * 1000;
  const staleIfErrorMs = merged.staleIfErrorSeconds * 1000;
  const memo = new Map<string, EndpointPolicy>();
  return {
    negativeTtlMs: merged.negativeTtlSeconds * 1000,
    forEndpoint(endpoint) {
      let policy = memo.get(endpoint);
      if (!policy) {
        const { default: base, byEndpoint } = merged.ttlSeconds;
        const seconds = byEndpoint[endpoint] ?? base ?? DEFAULT_TTL_SECONDS[endpoint] ?? FALLBACK_TTL_SECONDS;
        const ttlMs = seconds * 1000;
        policy = { ttlMs, swrMs, staleIfErrorMs, retainMs: ttlMs + Math.max(swrMs, staleIfErrorMs) };
        memo.set(endpoint, policy);
      }
      return policy;
    },
  };
}

const ENDPOINT = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)+$/;
const MAX_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Parses `DEFENDER_CACHE_TTL_SECONDS`: a bare number of seconds for every endpoint, and/or
 * comma-separated `endpoint=seconds` overrides, e.g. `600,software.list=60`. Returns an error message
 * naming the first bad part.
 */
export function parseTtlSpec(
  raw: string,
): { ok: true; value: CacheConfig['ttlSeconds'] } | { ok: false; error: string } {
  const value: CacheConfig['ttlSeconds'] = { byEndpoint: {} };
  for (const part of raw.split(',').map((p) => p.trim())) {
    const [name, seconds] = part.includes('=') ? part.split('=', 2).map((p) => p.trim()) : [undefined, part];
    const n = Number(seconds);
    if (!/^\d+$/.test(seconds ?? '') || n > MAX_TTL_SECONDS) {
      return { ok: false, error: `"${part}" needs whole seconds from 0 to ${MAX_TTL_SECONDS}` };
    }
    if (name === undefined) {
      if (value.default !== undefined) return { ok: false, error: 'more than one default TTL' };
      value.default = n;
    } else if (!ENDPOINT.test(name)) {
      return { ok: false, error: `"${name}" is not an endpoint template such as software.get` };
    } else {
      value.byEndpoint[name] = n;
    }
  }
  return { ok: true, value };
}
