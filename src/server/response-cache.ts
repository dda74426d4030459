import { createHash } from 'node:crypto';
import { type Cache, createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { currentScope } from '../upstream/request-scope.js';

/**
 * Serialising a 20-product answer costs as much as the rest of a cache hit, and a kept answer never
 * changes, so each one carries a `stringify` (yoga's hook for custom serialisers) that remembers its
 * JSON text. The property is enumerable because the plugin hands out shallow copies of the kept
 * answer (JSON.stringify skips functions); the text is reused only while the copy still holds the same
 * data and errors (and equal extensions), so an answer that a later plugin changed is serialised afresh.
 */
function withSerializedHits(cache: Cache): Cache {
  return {
    ...cache,
    set: (...args) => cache.set(...args),
    invalidate: (...args) => cache.invalidate(...args),
    async get(key) {
      const kept = await cache.get(key);
      if (kept && !Object.hasOwn(kept, 'stringify')) {
        // yoga strips internal `extensions.http` (ETag headers) before serialising, so the text is
        // remembered per (small) extensions object while data and errors are the kept ones.
        const texts = new Map<string, string>();
        const stringify = (value: Partial<typeof kept>): string => {
          if (value.data !== kept.data || value.errors !== kept.errors) return JSON.stringify(value);
          const extensions = JSON.stringify(value.extensions ?? null);
          let text = texts.get(extensions);
          if (text === undefined) {
            text = JSON.stringify(value);
            texts.set(extensions, text);
          }
          return text;
        };
        Object.assign(kept, { stringify });
      }
      return kept;
    },
  };
}

/** Options of {@link responseCachePlugin}. */
export interface ResponseCacheOptions {
  /** How long a whole response is reused for the same operation and variables; 0 disables. @default 10000 */
  ttlMs: number;
  /** Most responses kept. @default 1000 */
  maxEntries?: number;
}

/**
 * Reuses complete answers for a few seconds. Dashboards poll the same operation over and over; the
 * upstream cache already makes those answers free of Defender calls, and this skips executing them
 * again (hundreds of field resolutions each), with an ETag so an unchanged answer is a 304.
 *
 * Only clean answers are kept: no errors and nothing served stale (the data cache's staleness rules
 * stay in charge; a kept answer is at most `ttlMs` older than the data cache would give). Answers are
 * shared by every caller because the app calls Defender as one application identity; a delegated
 * (On-Behalf-Of) mode must partition them by user through `session`.
 */
export function responseCachePlugin(options: ResponseCacheOptions): Plugin[] {
  if (options.ttlMs <= 0) return [];
  return [
    useResponseCache({
      session: () => null,
      ttl: options.ttlMs,
      cache: withSerializedHits(createInMemoryCache({ max: options.maxEntries ?? 1000 })),
      invalidateViaMutation: false,
      includeExtensionMetadata: false,
      // Synchronous hashing: the default WebCrypto digest costs more than serving the cached answer.
      buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId }) =>
        createHash('sha256')
          .update(
            `${documentString}|${JSON.stringify(variableValues ?? {})}|${operationName ?? ''}|${sessionId ?? ''}`,
          )
          .digest('base64url'),
      shouldCacheResult: ({ result }) => !result.errors?.length && !(currentScope()?.stale?.size ?? 0),
    }),
  ];
}
