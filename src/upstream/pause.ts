import type { Redis } from 'ioredis';
import type { Logger } from '../defender/http.js';

/**
 * A `Retry-After` pause per budget key (tenant + client app + API host): after Defender answers 429,
 * no call at all goes out for that key until the pause expires. With Redis the pause is one key with
 * a millisecond TTL, so a 429 seen by one replica pauses every replica, and clocks need not agree.
 */
export interface PauseStore {
  /** Pauses `key` for `ms` from now; an existing longer pause is kept, never shortened. */
  pause(key: string, ms: number): Promise<void>;
  /** Milliseconds left in the pause of `key`; 0 when it is not paused. */
  remaining(key: string): Promise<number>;
}

/**
 * The in-process pause store.
 * @param now - clock in epoch milliseconds @default Date.now
 */
export function createMemoryPauseStore(now: () => number = Date.now): PauseStore {
  const until = new Map<string, number>();
  return {
    async pause(key, ms) {
      const end = now() + ms;
      if ((until.get(key) ?? 0) < end) until.set(key, end);
    },
    async remaining(key) {
      const end = until.get(key);
      if (end === undefined) return 0;
      const left = end - now();
      if (left > 0) return left;
      until.delete(key);
      return 0;
    },
  };
}

// Keeps the longer of the current and the new pause, atomically, so replicas racing to record
// different Retry-After values end with the latest end time.
const EXTEND_PAUSE = `
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`;

/** Options of {@link createRedisPauseStore}. */
export interface RedisPauseOptions {
  /** Prefix of the Redis keys. @default 'tvm:pause:' */
  prefix?: string;
  /** Clock of the local mirror. @default Date.now */
  now?: () => number;
  logger?: Logger;
}

/**
 * The shared pause store. Every pause is also mirrored in process memory, and Redis errors fall back
 * to that mirror: when Redis is unreachable this replica still honours the 429s it saw itself.
 */
export function createRedisPauseStore(redis: Redis, options: RedisPauseOptions = {}): PauseStore {
  const prefix = options.prefix ?? 'tvm:pause:';
  const local = createMemoryPauseStore(options.now);
  let warned = false;
  const degraded = (error: unknown) => {
    if (warned) return;
    warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    options.logger?.warn({ reason }, 'Redis unavailable for the 429 pause; using this replica only');
  };
  return {
    async pause(key, ms) {
      await local.pause(key, ms);
      const wait = Math.max(1, Math.ceil(ms));
      await redis.eval(EXTEND_PAUSE, 1, `${prefix}${key}`, String(wait)).catch(degraded);
    },
    async remaining(key) {
      const mine = await local.remaining(key);
      const shared = await redis.pttl(`${prefix}${key}`).then(
        (ms) => {
          warned = false;
          return Math.max(0, ms);
        },
        (error: unknown) => {
          degraded(error);
          return 0;
        },
      );
      return Math.max(mine, shared);
    },
  };
}
