import type { Redis } from 'ioredis';
import type { AttemptHook, DefenderHttp, Logger } from '../defender/http.js';
import type { CircuitBreaker } from './breaker.js';
import { type Budget, createBudget } from './budget.js';
import { createAttemptGate } from './gate.js';
import type { UpstreamMetrics } from './metrics.js';
import { createMemoryPauseStore, createRedisPauseStore, type PauseStore } from './pause.js';
import { createBreakers, createResilientHttp } from './resilient-http.js';
import type { ResilienceConfig } from './settings.js';
import { MAX_RETRY_DELAY_MS } from './settings.js';

/** Options of {@link createUpstreamLayer}. */
export interface UpstreamLayerOptions {
  settings: ResilienceConfig;
  /** Tenant and client app whose quota this process spends. */
  principal: { tenantId: string; clientId: string };
  /** Shares quota windows and 429 pauses across replicas. @default none (this process only) */
  redis?: Redis;
  metrics?: UpstreamMetrics;
  logger?: Logger;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Jitter source. @default Math.random */
  random?: () => number;
}

/** The budget and resilience layer, in the two places it plugs into the request pipeline. */
export interface UpstreamLayer {
  /** Pass as `createDefenderHttp({ attempt })`: pause + budget per real HTTP request. */
  attempt: AttemptHook;
  /** Wrap the pipeline: circuit breaker per host + retries within the deadline. */
  wrap(http: DefenderHttp): DefenderHttp;
  budget: Budget;
  pause: PauseStore;
  breakerFor(host: string): CircuitBreaker;
}

/**
 * Builds the layer from settings. Order per call: breaker (refuses at once while open) → retries →
 * per attempt: 429 pause → quota windows and concurrency cap → HTTP. The breaker sits outside the
 * budget so an open circuit never queues; the budget sits per attempt so retries and the 401 retry
 * are charged like any call.
 */
export function createUpstreamLayer(options: UpstreamLayerOptions): UpstreamLayer {
  const { settings, metrics, logger, redis, now } = options;
  const pause = redis ? createRedisPauseStore(redis, { now, logger }) : createMemoryPauseStore(now);
  const budget = createBudget({
    windows: [
      { name: 'minute', limit: settings.perMinute, seconds: 60 },
      { name: 'hour', limit: settings.perHour, seconds: 3600 },
    ],
    maxInFlight: settings.maxInFlight,
    pause,
    redis,
    now,
    metrics,
  });
  const breakerFor = createBreakers({
    failureThreshold: settings.breakerThreshold,
    coolDownMs: settings.breakerCooldownMs,
    now,
    metrics,
    logger,
  });
  const queueTimeoutMs = settings.queueTimeoutMs;
  return {
    attempt: createAttemptGate({
      budget,
      pause,
      principal: options.principal,
      queueTimeoutMs,
      now,
      metrics,
      logger,
    }),
    wrap: (http) =>
      createResilientHttp(http, {
        breakerFor,
        retry: {
          maxRetries: settings.maxRetries,
          baseDelayMs: settings.retryBaseMs,
          maxDelayMs: MAX_RETRY_DELAY_MS,
          random: options.random,
        },
        queueTimeoutMs,
        now,
        metrics,
        logger,
      }),
    budget,
    pause,
    breakerFor,
  };
}
