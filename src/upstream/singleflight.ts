/**
 * Request coalescing across every GraphQL request of this process: concurrent callers asking for one
 * key share one execution. The shared work gets its own AbortSignal, aborted only when every caller
 * that could abort has done so (and no caller without a signal, such as a background refresh, is
 * waiting), so one impatient client never cancels a call that others still need, while a call nobody
 * wants any more stops spending upstream budget.
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers with a signal that have not aborted yet. */
  waiters: number;
  /** A caller without a signal joined: the flight runs to completion whatever the others do. */
  pinned: boolean;
}

/** What {@link Singleflight.do} hands back to one caller. */
export interface FlightTicket<T> {
  /** Settles with the shared outcome, or rejects with the caller's own abort reason. */
  promise: Promise<T>;
  /** False for the caller that started the work, true for every caller that joined it. */
  joined: boolean;
}

/** Shares one in-flight execution per key until it settles. */
export class Singleflight<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /** Keys with work in flight (for tests and gauges). */
  get size(): number {
    return this.#flights.size;
  }

  /** Whether work for `key` is in flight. */
  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /**
   * Joins the in-flight work for `key`, or starts `run`.
   * @param key - callers with the same key share one execution
   * @param run - starts the work; receives the shared signal (aborted when nobody waits any more)
   * @param signal - this caller's signal; omit it to keep the work alive whatever other callers do
   */
  do(key: string, run: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): FlightTicket<T> {
    if (signal?.aborted) return { promise: Promise.reject(signal.reason), joined: false };
    const existing = this.#flights.get(key);
    const flight = existing ?? this.#start(key, run);
    return { promise: this.#wait(key, flight, signal), joined: existing !== undefined };
  }

  #start(key: string, run: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    let promise: Promise<T>;
    try {
      promise = run(controller.signal);
    } catch (error) {
      promise = Promise.reject(error);
    }
    const flight: Flight<T> = { promise, controller, waiters: 0, pinned: false };
    this.#flights.set(key, flight);
    const forget = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    // Every caller may have gone; the shared rejection must never be unhandled.
    promise.then(forget, forget);
    return flight;
  }

  #wait(key: string, flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) {
      flight.pinned = true;
      return flight.promise;
    }
    flight.waiters += 1;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        flight.waiters -= 1;
        if (flight.waiters === 0 && !flight.pinned) {
          // Forget it first, so a caller arriving now starts afresh instead of joining a dying call.
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.controller.abort(signal.reason);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort))
        .catch(() => {});
    });
  }
}
