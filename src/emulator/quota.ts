import { EmulatorError } from './responses.js';

/** One quota window: at most `limit` calls per `windowMs`. */
export interface QuotaWindow {
  limit: number;
  windowMs: number;
}

/** Sliding-window call counter per bucket (tenant + app + endpoint template). */
export interface QuotaTracker {
  /** Records a call, or throws 429 TooManyRequests with `Retry-After` when any window is full. */
  admit(bucket: string, nowMs: number): void;
}

/**
 * A sliding log rather than fixed windows, so `Retry-After` is exact: the number of whole seconds until
 * the oldest call in the full window expires. Rejected calls are not counted, so a client that waits the
 * advertised time always gets through.
 */
export function createQuotaTracker(windows: readonly QuotaWindow[]): QuotaTracker {
  const calls = new Map<string, number[]>();
  const longest = Math.max(0, ...windows.map((w) => w.windowMs));
  return {
    admit(bucket, nowMs) {
      if (windows.length === 0) return;
      const log = (calls.get(bucket) ?? []).filter((at) => at > nowMs - longest);
      calls.set(bucket, log);
      let waitMs = 0;
      for (const { limit, windowMs } of windows) {
        const inWindow = log.filter((at) => at > nowMs - windowMs);
        if (inWindow.length < limit) continue;
        const freesAt = (inWindow[inWindow.length - limit] ?? nowMs) + windowMs;
        waitMs = Math.max(waitMs, freesAt - nowMs);
      }
      if (waitMs > 0 || windows.some((w) => w.limit <= 0)) {
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        throw new EmulatorError(
          'TooManyRequests',
          `Rate limit is exceeded. Try again in ${seconds} seconds.`,
          {
            'Retry-After': String(seconds),
          },
        );
      }
      log.push(nowMs);
    },
  };
}
