import { DefenderError } from '../defender/errors.js';

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Attempts after the first one. @default 2 */
  maxRetries?: number;
  /** Backoff ceiling of the first retry; it doubles per retry. @default 200 */
  baseDelayMs?: number;
  /** Largest backoff ceiling. @default 5000 */
  maxDelayMs?: number;
  /** Uniform random number in [0, 1). @default Math.random */
  random?: () => number;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Waits `ms`, rejecting when `signal` aborts. @default a timer */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What one call of {@link withRetries} needs to know. */
export interface RetryCall {
  /** No retry may start (including its backoff) at or after this epoch millisecond. */
  deadline: number;
  signal?: AbortSignal;
  /**
   * Decides whether `error` deserves another attempt and how soon: `'backoff'` for transient failures
   * (exponential backoff with full jitter), a number of milliseconds for a known wait (0 after a 429,
   * whose pause the budget already enforces), undefined to give up.
   */
  classify(error: unknown): 'backoff' | number | undefined;
  /** Called before each retry, for metrics and logs. */
  onRetry?(error: unknown, retry: number, delayMs: number): void;
}

/**
 * "Full jitter" backoff (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay in
 * [0, min(max, base·2^retry)), which spreads synchronized clients better than a fixed exponential.
 * @param retry - 0 for the first retry
 */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5000;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(max, base * 2 ** retry));
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () =>
      new DefenderError('UPSTREAM_TIMEOUT', 'The request was cancelled', { local: 'cancelled' });
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, the retries are used up, or the next
 * attempt could not start before the deadline; then the last error is thrown as it was.
 */
export async function withRetries<T>(
  attempt: (retry: number) => Promise<T>,
  call: RetryCall,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 2;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt(retry);
    } catch (error) {
      if (retry >= maxRetries || call.signal?.aborted) throw error;
      const kind = call.classify(error);
      if (kind === undefined) throw error;
      const delay = kind === 'backoff' ? backoffDelay(retry, options) : kind;
      if (now() + delay >= call.deadline) throw error;
      call.onRetry?.(error, retry + 1, delay);
      if (delay > 0) await sleep(delay, call.signal);
    }
  }
}
