/** Settings of the upstream budget and resilience layer (README "Upstream budget"). */
export interface ResilienceConfig {
  /** `DEFENDER_QUEUE_TIMEOUT_MS`: how long an operation's calls may wait for budget and retries. */
  queueTimeoutMs: number;
  /** `DEFENDER_RATE_LIMIT_PER_MINUTE`: calls per 60 s per tenant, client app and API host. */
  perMinute: number;
  /** `DEFENDER_RATE_LIMIT_PER_HOUR`: calls per hour per tenant, client app and API host. */
  perHour: number;
  /** `DEFENDER_MAX_IN_FLIGHT`: calls in flight per tenant, client app and API host, per process. */
  maxInFlight: number;
  /** `DEFENDER_MAX_RETRIES`: extra attempts after a 5xx, network error, timeout or 429. */
  maxRetries: number;
  /** `DEFENDER_RETRY_BASE_MS`: backoff ceiling of the first retry (doubles per retry, full jitter). */
  retryBaseMs: number;
  /** `DEFENDER_BREAKER_THRESHOLD`: consecutive failures that open a host's circuit. */
  breakerThreshold: number;
  /** `DEFENDER_BREAKER_COOLDOWN_MS`: time an open circuit waits before a half-open probe. */
  breakerCooldownMs: number;
}

/** Defaults: Defender's documented 100 calls/min and 1,500/h (defender-api.md), 10 s to wait. */
export const DEFAULT_RESILIENCE: ResilienceConfig = {
  queueTimeoutMs: 10_000,
  perMinute: 100,
  perHour: 1500,
  maxInFlight: 20,
  maxRetries: 2,
  retryBaseMs: 200,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
};

/** Largest backoff between two attempts, whatever the retry number. */
export const MAX_RETRY_DELAY_MS = 5000;
/** Pause after a 429 without a readable `Retry-After`. */
export const DEFAULT_PAUSE_MS = 1000;
