import type { Redis } from 'ioredis';
import type { Logger } from '../defender/http.js';
import { type CacheStore, decodeEntry } from './cache-store.js';

/** Options of {@link createRedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** A connected (or connecting) ioredis client; the store does not own it unless `ownsClient`. */
  redis: Redis;
  /** Prefix of every key, so the cache can share a Redis with the budget. @default 'tvm-graphql:cache:v1:' */
  prefix?: string;
  /** Give up on one Redis command after this long and treat it as a miss. @default 250 */
  commandTimeoutMs?: number;
  /** `close()` quits the client too. @default false */
  ownsClient?: boolean;
  logger?: Logger;
  /** Called for every failed or timed-out command (for a metric). */
  onError?: () => void;
}

/** Races `promise` against a timer that never keeps the process alive. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A cache store in Redis, shared by every replica: a value fetched by one is a hit for all. Redis
 * trouble degrades to misses (and so to upstream calls under the budget), never to failed queries.
 * Entries expire in Redis after the longest window that can still serve them.
 */
export function createRedisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'tvm-graphql:cache:v1:';
  const timeoutMs = options.commandTimeoutMs ?? 250;
  const failed = (op: string) => (error: unknown) => {
    options.onError?.();
    // debug: while Redis is down every lookup fails, and the connection already logs the outage once
    options.logger?.debug({ op, err: error instanceof Error ? error.message : String(error) }, 'Redis cache');
    return undefined;
  };
  return {
    async get(key) {
      const text = await within(redis.get(prefix + key), timeoutMs).catch(failed('get'));
      return decodeEntry(text);
    },
    async set(key, entry, ttlMs) {
      if (ttlMs <= 0) return;
      const text = JSON.stringify(entry);
      await within(redis.set(prefix + key, text, 'PX', Math.ceil(ttlMs)), timeoutMs).catch(failed('set'));
    },
    async close() {
      if (options.ownsClient) await redis.quit().catch(() => undefined);
    },
  };
}
