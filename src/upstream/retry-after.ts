import type { Plugin } from 'graphql-yoga';

interface ResultShape {
  data?: Record<string, unknown> | null;
  errors?: readonly { extensions?: Record<string, unknown> }[];
}

function isResult(value: unknown): value is ResultShape {
  return typeof value === 'object' && value !== null && ('data' in value || 'errors' in value);
}

/** Whether a result's `data` holds any value at all (a list of nulls or an object of nulls holds none). */
function hasValue(data: unknown): boolean {
  if (data === null || data === undefined) return false;
  if (Array.isArray(data)) return data.some(hasValue);
  if (typeof data === 'object') return Object.values(data).some(hasValue);
  return true;
}

/**
 * When an operation produced nothing because of rate limits — every error is UPSTREAM_RATE_LIMITED and
 * `data` holds no value (only nulls) — the seconds a client should wait (the longest `retryAfterSeconds`);
 * otherwise undefined. A partly answered operation is not "refused": its data is worth showing.
 */
export function refusedForRateLimits(result: unknown): number | undefined {
  const results = Array.isArray(result) ? result : [result];
  let seconds = 0;
  for (const one of results) {
    if (!isResult(one) || !one.errors?.length) return undefined;
    if (hasValue(one.data)) return undefined;
    for (const error of one.errors) {
      if (error.extensions?.code !== 'UPSTREAM_RATE_LIMITED') return undefined;
      const after = error.extensions.retryAfterSeconds;
      seconds = Math.max(seconds, typeof after === 'number' ? after : 1);
    }
  }
  return Math.max(1, seconds);
}

/**
 * A yoga plugin that adds an HTTP `Retry-After` header (seconds) to a response whose whole operation
 * was refused for rate limits, so plain HTTP clients and proxies back off without reading the body.
 * Incremental (@defer/@stream) responses are left alone: their first part is already sent.
 */
export function retryAfterPlugin(): Plugin {
  const refused = new WeakMap<Request, number>();
  return {
    onResultProcess({ request, result }) {
      const seconds = refusedForRateLimits(result);
      if (seconds !== undefined) refused.set(request, seconds);
    },
    onResponse({ request, response }) {
      const seconds = refused.get(request);
      if (seconds !== undefined) response.headers.set('retry-after', String(seconds));
    },
  };
}
