import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DefenderError, rateLimitedLocally } from '../defender/errors.js';
import type { UpstreamMetrics } from './metrics.js';
import type { PauseStore } from './pause.js';

/** One quota window: at most `limit` calls per `seconds` per key. */
export interface BudgetWindow {
  /** Label in metrics, e.g. `minute`. */
  name: string;
  limit: number;
  seconds: number;
}

/** Options of {@link createBudget}. */
export interface BudgetOptions {
  /** Every window must have room for a call. */
  windows: BudgetWindow[];
  /** Calls in flight per key in this process. */
  maxInFlight: number;
  /** 429 pauses; while a key is paused nothing is admitted for it. */
  pause: PauseStore;
  /** Shares the windows across replicas; without it they live in this process. @default none */
  redis?: Redis;
  /** Prefix of the Redis keys. @default 'tvm:budget' */
  prefix?: string;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  metrics?: UpstreamMetrics;
}

/** When and how a call may wait. */
export interface AcquireOptions {
  /** Epoch milliseconds; a call still blocked then fails with UPSTREAM_RATE_LIMITED. */
  deadline: number;
  /** The caller went away: stop waiting. */
  signal?: AbortSignal;
}

/** The outbound quota of this process (or, with Redis, of every replica together). */
export interface Budget {
  /** Waits in FIFO order for a call slot; resolves with the function that frees the slot. */
  acquire(key: string, options: AcquireOptions): Promise<() => void>;
  /** Calls waiting for `key` now (for tests). */
  waiting(key: string): number;
}

const cancelled = () =>
  new DefenderError('UPSTREAM_TIMEOUT', 'The request was cancelled', { local: 'cancelled' });

type BlockReason = 'pause' | 'quota' | 'concurrency';
type Take = { ok: true } | { ok: false; waitMs: number; reason: 'pause' | 'quota' };

interface Waiter {
  deadline: number;
  since: number;
  done: boolean;
  resolve(release: () => void): void;
  reject(error: DefenderError): void;
}

interface Lane {
  waiters: Waiter[];
  inFlight: number;
  pumping: boolean;
  /** Why the head of the queue cannot go now, and until when (Infinity: until a slot frees). */
  blocked?: { reason: BlockReason; until: number };
}

function limiterFor(window: BudgetWindow, options: BudgetOptions) {
  const base = { points: window.limit, duration: window.seconds };
  if (!options.redis) return new RateLimiterMemory(base);
  return new RateLimiterRedis({
    ...base,
    storeClient: options.redis,
    keyPrefix: `${options.prefix ?? 'tvm:budget'}:${window.name}`,
    // Redis down: each replica keeps its own quota of the same size rather than failing every call.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(base),
  });
}

/**
 * Creates the budget. Quota windows come from rate-limiter-flexible (fixed windows that start at the
 * first call, in memory or in Redis); the FIFO queue, the deadline and the concurrency cap are kept
 * here per key, so waiting callers are served in arrival order and a hopeless wait fails at once.
 */
export function createBudget(options: BudgetOptions): Budget {
  const now = options.now ?? Date.now;
  const limiters = options.windows.map((window) => ({ window, limiter: limiterFor(window, options) }));
  const lanes = new Map<string, Lane>();

  async function take(key: string): Promise<Take> {
    const paused = await options.pause.remaining(key);
    if (paused > 0) return { ok: false, waitMs: paused, reason: 'pause' };
    const taken: typeof limiters = [];
    for (const entry of limiters) {
      try {
        const res = await entry.limiter.consume(key);
        options.metrics?.budgetRemaining.set({ window: entry.window.name }, res.remainingPoints);
        taken.push(entry);
      } catch (rejection) {
        // A full later window must not spend the earlier windows' points.
        await Promise.all(taken.map((t) => t.limiter.reward(key).catch(() => undefined)));
        const waitMs = rejection instanceof RateLimiterRes ? rejection.msBeforeNext : 1000;
        options.metrics?.budgetRemaining.set({ window: entry.window.name }, 0);
        return { ok: false, waitMs: Math.max(1, waitMs), reason: 'quota' };
      }
    }
    return { ok: true };
  }

  function refuse(lane: Lane, waiter: Waiter): void {
    if (waiter.done) return;
    waiter.done = true;
    const reason = lane.blocked?.reason ?? 'concurrency';
    const until = lane.blocked?.until ?? Number.POSITIVE_INFINITY;
    const waitMs = Number.isFinite(until) ? until - now() : 1000;
    options.metrics?.budgetRejected.inc({ reason });
    options.metrics?.budgetWait.observe({ outcome: 'rejected' }, (now() - waiter.since) / 1000);
    const why =
      reason === 'pause'
        ? 'Defender asked us to pause (429) beyond this operation’s deadline'
        : reason === 'quota'
          ? 'The Defender call budget is used up until after this operation’s deadline'
          : 'Too many Defender calls in flight to start this one before the operation’s deadline';
    waiter.reject(rateLimitedLocally(waitMs, reason === 'pause' ? 'pause' : 'budget', why));
  }

  function admit(key: string, lane: Lane): boolean {
    const waiter = lane.waiters.find((w) => !w.done);
    if (!waiter) return false;
    waiter.done = true;
    lane.inFlight += 1;
    options.metrics?.budgetWait.observe({ outcome: 'admitted' }, (now() - waiter.since) / 1000);
    let released = false;
    waiter.resolve(() => {
      if (released) return;
      released = true;
      lane.inFlight -= 1;
      if (lane.blocked?.reason === 'concurrency') lane.blocked = undefined;
      void pump(key, lane);
    });
    return true;
  }

  async function pump(key: string, lane: Lane): Promise<void> {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      for (;;) {
        lane.waiters = lane.waiters.filter((w) => !w.done);
        if (lane.waiters.length === 0) break;
        if (lane.inFlight >= options.maxInFlight) {
          lane.blocked = { reason: 'concurrency', until: Number.POSITIVE_INFINITY };
          break;
        }
        const result = await take(key);
        if (result.ok) {
          lane.blocked = undefined;
          if (!admit(key, lane)) await refund(key);
          continue;
        }
        const until = now() + result.waitMs;
        lane.blocked = { reason: result.reason, until };
        for (const waiter of lane.waiters) if (waiter.deadline < until) refuse(lane, waiter);
        if (lane.waiters.every((w) => w.done)) continue;
        await new Promise((resolve) => setTimeout(resolve, result.waitMs).unref?.());
      }
    } finally {
      lane.pumping = false;
      if (lane.waiters.length === 0 && lane.inFlight === 0) lanes.delete(key);
    }
  }

  async function refund(key: string): Promise<void> {
    await Promise.all(limiters.map((t) => t.limiter.reward(key).catch(() => undefined)));
  }

  function acquire(key: string, { deadline, signal }: AcquireOptions): Promise<() => void> {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { waiters: [], inFlight: 0, pumping: false };
      lanes.set(key, lane);
    }
    const current = lane;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        if (waiter.done) return;
        waiter.done = true;
        waiter.reject(cancelled());
      };
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        deadline,
        since: now(),
        done: false,
        resolve: (release) => {
          settle();
          resolve(release);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // At the deadline a waiter fails only if the budget is actually blocked; a take in progress may
      // still admit it, and otherwise the next failed take refuses it (its deadline is then past).
      timer = setTimeout(
        () => {
          const block = current.blocked;
          if (block && block.until > now()) refuse(current, waiter);
        },
        Math.max(0, deadline - now()),
      );
      timer.unref?.();
      const block = current.blocked;
      if (block && block.reason !== 'concurrency' && block.until > deadline) {
        refuse(current, waiter);
        return;
      }
      current.waiters.push(waiter);
      void pump(key, current);
    });
  }

  return {
    acquire,
    waiting: (key) => lanes.get(key)?.waiters.filter((w) => !w.done).length ?? 0,
  };
}
