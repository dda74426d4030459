/**
 * One table from upstream outcomes to the stable codes clients branch on (`extensions.code`).
 * Upstream bodies stay here: only the Defender error `code` and correlation `target` travel on,
 * because messages are free text that may echo ids, and a body may hold anything.
 */

/** Stable error codes exposed in GraphQL `extensions.code`. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_BUDGET_EXCEEDED';

/** Details kept with an error; all of them are safe to log and to expose. */
export interface DefenderErrorDetails {
  /** HTTP status from Defender, when there was a response. */
  status?: number;
  /** Defender's `error.code`, e.g. `ResourceNotFound`, `ODataError`. */
  upstreamCode?: string;
  /** Defender's `error.target` correlation id, useful for Microsoft support. */
  target?: string;
  /** Seconds to wait before retrying (429, or a local budget refusal). */
  retryAfterSeconds?: number;
  /**
   * Set when this process decided the outcome without a Defender answer: the budget or a shared 429
   * pause refused the call, the circuit breaker was open, or the caller went away. Such failures are
   * never retried and never count as upstream failures for the breaker.
   */
  local?: 'budget' | 'pause' | 'breaker' | 'cancelled';
  cause?: unknown;
}

/** A failed Defender call, already classified. Messages never include upstream bodies or secrets. */
export class DefenderError extends Error {
  readonly code: ErrorCode;
  readonly details: DefenderErrorDetails;

  constructor(code: ErrorCode, message: string, details: DefenderErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DefenderError';
    this.code = code;
    this.details = details;
  }
}

const STATUS_CODES: { test: (status: number) => boolean; code: ErrorCode; message: string }[] = [
  { test: (s) => s === 400, code: 'BAD_USER_INPUT', message: 'Defender rejected the request as invalid' },
  {
    test: (s) => s === 401,
    code: 'UPSTREAM_UNAUTHORIZED',
    message: 'Defender did not accept our access token',
  },
  {
    test: (s) => s === 403,
    code: 'UPSTREAM_FORBIDDEN',
    message: 'The app lacks a Defender permission for this data',
  },
  { test: (s) => s === 404 || s === 410, code: 'NOT_FOUND', message: 'Not found in Defender' },
  {
    test: (s) => s === 414 || s === 431,
    code: 'BAD_USER_INPUT',
    message: 'Defender rejected the request as too long',
  },
  { test: (s) => s === 408 || s === 504, code: 'UPSTREAM_TIMEOUT', message: 'Defender timed out' },
  { test: (s) => s === 429, code: 'UPSTREAM_RATE_LIMITED', message: 'Defender rate limit reached' },
  { test: (s) => s >= 500, code: 'UPSTREAM_UNAVAILABLE', message: 'Defender is unavailable' },
];

/**
 * Parses `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); returns whole seconds ≥ 0,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Extracts `{error:{code,target}}` from a Defender error body, ignoring anything else in it. */
export function readErrorBody(text: string): { upstreamCode?: string; target?: string } {
  try {
    const body: unknown = JSON.parse(text);
    const error = (body as { error?: { code?: unknown; target?: unknown } } | null)?.error;
    const safe = (v: unknown) => (typeof v === 'string' && /^[\w|.:-]{1,100}$/.test(v) ? v : undefined);
    return { upstreamCode: safe(error?.code), target: safe(error?.target) };
  } catch {
    return {};
  }
}

/** Classifies a non-2xx Defender response. */
export function errorFromStatus(
  status: number,
  details: Omit<DefenderErrorDetails, 'status'>,
): DefenderError {
  const row = STATUS_CODES.find((r) => r.test(status));
  const code = row?.code ?? 'UPSTREAM_BAD_RESPONSE';
  const message = row?.message ?? `Defender answered with unexpected status ${status}`;
  return new DefenderError(code, message, { ...details, status });
}

/**
 * Whether a failed GET is worth another attempt: 5xx, connection failures, cut-off bodies and
 * timeouts are transient; 4xx (including 429, which waits for its pause instead), malformed bodies
 * and anything decided locally are not.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof DefenderError) || error.details.local) return false;
  return error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT';
}

/** A refusal decided here (budget exhausted or paused until the deadline), shaped like Defender's 429. */
export function rateLimitedLocally(
  retryAfterMs: number,
  local: 'budget' | 'pause',
  message: string,
): DefenderError {
  return new DefenderError('UPSTREAM_RATE_LIMITED', message, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    local,
  });
}
