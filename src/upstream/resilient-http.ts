import { DefenderError, isTransient } from '../defender/errors.js';
import type { DefenderHttp, Logger } from '../defender/http.js';
import { type BreakerState, CircuitBreaker } from './breaker.js';
import { deadlineOf } from './gate.js';
import type { UpstreamMetrics } from './metrics.js';
import { type RetryOptions, withRetries } from './retry.js';

/** Options of {@link createBreakers}. */
export interface BreakersOptions {
  failureThreshold?: number;
  coolDownMs?: number;
  now?: () => number;
  metrics?: UpstreamMetrics;
  logger?: Logger;
}

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** One {@link CircuitBreaker} per API host, created on first use, reporting to the state gauge. */
export function createBreakers(options: BreakersOptions = {}): (host: string) => CircuitBreaker {
  const breakers = new Map<string, CircuitBreaker>();
  return (host) => {
    let breaker = breakers.get(host);
    if (!breaker) {
      options.metrics?.breakerState.set({ host }, 0);
      breaker = new CircuitBreaker({
        failureThreshold: options.failureThreshold,
        coolDownMs: options.coolDownMs,
        now: options.now,
        onStateChange: (state) => {
          options.metrics?.breakerState.set({ host }, STATE_VALUE[state]);
          options.logger?.warn({ host, state }, `circuit breaker for Defender host is ${state}`);
        },
      });
      breakers.set(host, breaker);
    }
    return breaker;
  };
}

/** What {@link createResilientHttp} needs. */
export interface ResilientHttpDeps {
  breakerFor: (host: string) => CircuitBreaker;
  retry?: RetryOptions;
  /** Deadline of calls made outside any request scope. @default 10000 */
  queueTimeoutMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  metrics?: UpstreamMetrics;
  logger?: Logger;
}

/**
 * Retry decision: transient failures back off; a 429 from Defender retries at once, because the
 * budget holds the next attempt until the shared pause ends (and refuses it if the deadline comes
 * first); everything else, including anything decided locally, is final.
 */
function classify(error: unknown): 'backoff' | number | undefined {
  if (isTransient(error)) return 'backoff';
  if (error instanceof DefenderError && error.code === 'UPSTREAM_RATE_LIMITED' && !error.details.local)
    return 0;
  return undefined;
}

/**
 * Decorates the request pipeline with the per-host circuit breaker and bounded retries, all inside
 * the operation's deadline. The pipeline itself carries the per-attempt budget gate (see
 * `createAttemptGate`), so each retry waits for and spends budget like any call. Caches belong
 * outside this layer: a cache hit must cost neither budget nor breaker state.
 */
export function createResilientHttp(inner: DefenderHttp, deps: ResilientHttpDeps): DefenderHttp {
  const now = deps.now ?? Date.now;
  const queueTimeoutMs = deps.queueTimeoutMs ?? 10_000;
  return {
    getJson(url, call) {
      const deadline = deadlineOf(call, queueTimeoutMs, now);
      const breaker = deps.breakerFor(url.host);
      const attempt = async () => {
        const ticket = breaker.enter();
        try {
          const fetched = await inner.getJson(url, { ...call, deadline });
          ticket.success();
          return fetched;
        } catch (error) {
          if (isTransient(error)) ticket.failure();
          else if (error instanceof DefenderError && error.details.local) ticket.neutral();
          else ticket.success();
          throw error;
        }
      };
      return withRetries(
        attempt,
        {
          deadline,
          signal: call.signal,
          classify,
          onRetry: (error, retry, delayMs) => {
            const reason = classify(error) === 'backoff' ? 'transient' : 'rate_limited';
            deps.metrics?.retries.inc({ endpoint: call.endpoint, reason });
            const code = error instanceof DefenderError ? error.code : 'unknown';
            deps.logger?.info({ endpoint: call.endpoint, retry, delayMs, code }, 'retrying Defender call');
          },
        },
        { ...deps.retry, now },
      );
    },
  };
}
