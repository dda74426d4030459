import type { Redis } from 'ioredis';
import type { DefenderHttp, Logger } from '../defender/http.js';
import { type CacheEvent, cachePartition, createCachingHttp, type PartitionParts } from './cache.js';
import { type CacheConfig, createCachePolicy } from './cache-policy.js';
import type { CacheStore } from './cache-store.js';
import { createMemoryCacheStore } from './cache-store-memory.js';
import { createRedisCacheStore } from './cache-store-redis.js';
import type { UpstreamMetrics } from './metrics.js';

/** Options of {@link createCacheLayer}. */
export interface CacheLayerOptions extends PartitionParts {
  config: CacheConfig;
  /** With `REDIS_URL`: entries live in Redis, shared by every replica, instead of process memory. */
  redis?: Redis;
  metrics?: UpstreamMetrics;
  logger?: Logger;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** The runtime's cache: its store (for diagnostics) and the decorator to put around the pipeline. */
export interface CacheLayer {
  store: CacheStore;
  /** Where entries live, for the start-up log. */
  where: string;
  wrap(inner: DefenderHttp): DefenderHttp;
}

/** Feeds cache decisions into the Prometheus counters, labelled by endpoint template. */
export function cacheMetricsListener(
  metrics: UpstreamMetrics,
): (event: CacheEvent, endpoint: string) => void {
  return (event, resource) => {
    if (event === 'hit' || event === 'negative_hit') metrics.cacheHits.inc({ resource });
    else if (event === 'miss') metrics.cacheMisses.inc({ resource });
    else if (event === 'stale' || event === 'stale_if_error') metrics.cacheStale.inc({ resource });
    else if (event === 'singleflight_join') metrics.singleflightJoins.inc({ resource });
  };
}

/**
 * Builds the cache from configuration: a Redis store when a connection is given, else a memory LRU of
 * `DEFENDER_CACHE_MAX_MB`; keys partitioned by tenant, client app and API host.
 */
export function createCacheLayer(options: CacheLayerOptions): CacheLayer {
  const { config, redis, metrics, logger } = options;
  const store = redis
    ? createRedisCacheStore({ redis, logger })
    : createMemoryCacheStore({ maxBytes: config.maxMb * 1024 * 1024 });
  const where = redis ? 'Redis (shared by every replica)' : `memory (at most ${config.maxMb} MB)`;
  const partition = cachePartition(options);
  const policy = createCachePolicy(config);
  const onEvent = metrics ? cacheMetricsListener(metrics) : undefined;
  return {
    store,
    where,
    wrap: (inner) =>
      createCachingHttp(inner, { store, policy, partition, logger, now: options.now, onEvent }),
  };
}
