/**
 * Scriptable upstream faults for the emulator (issue 3, item 8). Faults sit in front of the emulated
 * Defender like a gateway or a sick Defender front end: they are decided after the path is matched to
 * a route (so rules can target routes and ids) but BEFORE auth, quota and handlers. Consequences:
 * - a faulted request never consumes emulator quota (a real 429 from Defender's throttle does not
 *   either, and a 5xx/HTML page from a gateway never reached Defender);
 * - `latency` is the only non-terminal fault: it delays the request, which then runs the normal
 *   pipeline (auth, quota, handler) and counts against the quota as usual.
 * Every request is still logged: `log[i].status` is what was answered (0 for `reset` and `hang`:
 * no complete response) and `log[i].fault` names the fault kind.
 *
 * @example
 * const { emulator, gql, calls } = createTestApp({
 *   emulator: { faults: [{ match: { id: 'google-_-chrome' }, fault: { kind: 'status', status: 503 } }] },
 * });
 * const storm = emulator.faults.add({ match: { route: 'software.*' }, fault: { kind: 'storm', retryAfterSeconds: 5 } });
 * emulator.faults.add({ times: 2, fault: { kind: 'reset' } });
 * // … run queries …
 * expect(emulator.log.filter((e) => e.fault === 'storm')).toHaveLength(1);
 * storm.remove(); // or emulator.faults.clear()
 * expect(emulator.faults.pending).toBe(0); // nothing left hanging or delayed
 */

/** Any HTTP error status with a Defender error body `{"error":{"code","message","target"}}`. */
export interface StatusFault {
  kind: 'status';
  /** 400–599, e.g. 429, 500, 502, 503, 504. */
  status: number;
  /**
   * `Retry-After` header: whole seconds (number) or sent verbatim (string, e.g. an HTTP date or junk
   * to test parsing); null omits it.
   * @default '1' for 429, absent otherwise
   */
  retryAfter?: number | string | null;
  /** `error.code` in the body. @default by status: 429 TooManyRequests, 500 InternalServerError, 502 BadGateway, 503 ServiceUnavailable, 504 GatewayTimeout, 404 ResourceNotFound, … */
  code?: string;
  /** `error.message` in the body. @default a Defender-like sentence for the status */
  message?: string;
}

/**
 * A 429 storm: every matching request gets 429 TooManyRequests with `Retry-After` = whole seconds left
 * in the storm window (rounded up), measured on the emulator's `now()` clock. The window opens at the
 * first matching request (so that request sees exactly `retryAfterSeconds`) and closes
 * `retryAfterSeconds` later: from `start + retryAfterSeconds * 1000` ms on, requests are served
 * normally and the rule removes itself.
 */
export interface StormFault {
  kind: 'storm';
  /** Length of the storm window in seconds (> 0). */
  retryAfterSeconds: number;
}

/** Extra delay before the (otherwise normal) answer; stacks with `latencyMs`/`setLatency` and with other latency rules. Abortable. */
export interface LatencyFault {
  kind: 'latency';
  /** Milliseconds, ≥ 0 (a real timer, so fake timers control it). */
  ms: number;
}

/** Never answers. The response promise rejects with `request.signal.reason` when the request aborts (over HTTP: when the client disconnects); no timer is created. */
export interface HangFault {
  kind: 'hang';
}

/**
 * Connection reset. In-process, `emulator.fetch` rejects with `TypeError('fetch failed')` whose
 * `cause.code` is `ECONNRESET` (undici's shape). Over `startEmulatorServer` the socket is reset
 * (RST) before any byte, so the client's `fetch` rejects with 'fetch failed' (cause ECONNRESET).
 */
export interface ResetFault {
  kind: 'reset';
  /**
   * Send a 200 status line, headers (with the full Content-Length) and half of a JSON body first, then
   * drop the connection: `fetch` resolves but reading the body rejects (TypeError 'terminated').
   * @default false
   */
  afterHeaders?: boolean;
}

/** 200 with a JSON content type and a truncated (unparseable) JSON body with a correct Content-Length. */
export interface MalformedJsonFault {
  kind: 'malformed-json';
}

/** A proxy's HTML error page with `content-type: text/html`. */
export interface HtmlFault {
  kind: 'html';
  /** @default 502 */
  status?: number;
}

/** 200 with valid JSON that fits no Defender response shape (`value` not an array, `id` null). */
export interface WrongShapeFault {
  kind: 'wrong-shape';
}

/** One scripted misbehaviour. */
export type Fault =
  | StatusFault
  | StormFault
  | LatencyFault
  | HangFault
  | ResetFault
  | MalformedJsonFault
  | HtmlFault
  | WrongShapeFault;

/** The `kind` of a {@link Fault}; also what {@link RequestLogEntry.fault} holds. */
export type FaultKind = Fault['kind'];

/** Which requests a rule applies to; every given criterion must match. Empty or absent = every request. */
export interface FaultMatch {
  /**
   * Route names from routing.ts (`software.get`, `software.getmissingkbs`, …) or a prefix wildcard
   * (`software.*`). Unknown names are rejected when the rule is added. Requests whose path matches
   * no route only meet rules without `route`.
   */
  route?: string | string[];
  /** Decoded ids, compared case-insensitively. Requests without an id (e.g. `software.list`) never match. */
  id?: string | string[];
}

/** A fault and the requests it applies to. Rules are evaluated in the order they were added. */
export interface FaultRule {
  /** @default every request */
  match?: FaultMatch;
  /**
   * Apply to the next N matching requests, then remove the rule. For a storm this caps the 429s served.
   * @default unlimited
   */
  times?: number;
  fault: Fault;
}

/** A rule that was added; lets a test remove it or count what it did. */
export interface FaultHandle {
  /** Stops the rule for later requests (requests already held keep their fate). Idempotent. */
  remove(): void;
  /** Requests this rule has applied to so far. */
  readonly hits: number;
  /** False once removed, cleared, used up (`times`) or past its storm window. */
  readonly active: boolean;
}

/** Fault switches of an emulator (`emulator.faults`). */
export interface FaultController {
  /** Validates and appends a rule (throws RangeError naming the problem). */
  add(rule: FaultRule): FaultHandle;
  /** Removes every rule, including those from `EmulatorOptions.faults`. */
  clear(): void;
  /** Requests currently held (by latency or a hang) and not yet answered or aborted; 0 means nothing leaked. */
  readonly pending: number;
}
