/**
 * Request coalescing helpers: a burst of callers shares one in-flight token request, and each caller can stop
 * waiting (AbortSignal) without cancelling the shared request the others still need.
 */

/** Shares one in-flight promise per key until it settles. */
export class Singleflight<K extends string, T> {
  readonly #inflight = new Map<K, Promise<T>>();

  /**
   * Joins the in-flight call for `key`, or starts `run`.
   * @param key - calls with the same key share one execution
   * @param run - starts the work
   */
  do(key: K, run: () => Promise<T>): Promise<T> {
    const existing = this.#inflight.get(key);
    if (existing) return existing;
    const started = run().finally(() => {
      if (this.#inflight.get(key) === started) this.#inflight.delete(key);
    });
    this.#inflight.set(key, started);
    // Every caller may have aborted; the shared promise must not become an unhandled rejection.
    started.catch(() => {});
    return started;
  }
}

/**
 * Rejects with `signal.reason` when the caller stops waiting; `promise` itself keeps running.
 * @param promise - shared work
 * @param signal - the caller's abort signal
 */
export function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
