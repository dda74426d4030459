import { Redis } from 'ioredis';
import type { Logger } from '../defender/http.js';

/** A Redis connection owned by the runtime. */
export interface RedisConnection {
  redis: Redis;
  /** Where it points, without credentials, for logs. */
  where: string;
  /** Resolves true once connected, false after `timeoutMs` (the app then runs on per-replica fallbacks). */
  ready(timeoutMs?: number): Promise<boolean>;
  /** Quits gracefully (pending replies first), then drops the socket. */
  close(): Promise<void>;
}

/**
 * Opens the Redis connection shared by the budget, the 429 pause and the cache. Commands fail fast
 * while it is down (no offline queue), because every caller has a local fallback and must not hang
 * on a dead socket; ioredis keeps reconnecting in the background. Connection errors are logged once
 * per outage with the host only: the URL may carry a password.
 */
export function connectRedis(url: string, logger?: Logger): RedisConnection {
  const parsed = new URL(url);
  const where = `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname}`;
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger?.warn({ redis: where, reason: error.message }, 'Redis connection failed; using local fallbacks');
  });
  redis.on('ready', () => {
    if (down) logger?.info({ redis: where }, 'Redis connection restored');
    down = false;
  });
  const connecting = redis.connect().then(
    () => true,
    () => false,
  );
  return {
    redis,
    where,
    ready: (timeoutMs = 5000) =>
      Promise.race([
        connecting,
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]),
    async close() {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
