import type { Dataset } from './dataset/types.js';
import type { FaultController, FaultKind, FaultRule } from './faults.js';
import type { QuotaWindow } from './quota.js';

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** The world the API serves. @default createDemoDataset() (cached per seed) */
  dataset?: Dataset;
  /**
   * Delay in milliseconds added before every response (a real timer, so fake timers control it).
   * Aborting the request's signal clears the timer and rejects with the signal's reason, as `fetch` does.
   * @default 0
   */
  latencyMs?: number;
  /**
   * Quota windows per (tid, appid/azp claim) per endpoint template; all must have room for a call.
   * @default [] (unlimited)
   */
  quotas?: QuotaWindow[];
  /**
   * Token audiences accepted; a trailing slash is ignored when comparing.
   * @default the commercial and US Government Defender audiences (see DEFAULT_AUDIENCES)
   */
  acceptedAudiences?: string[];
  /** Clock in milliseconds, for token expiry and quota windows. @default Date.now */
  now?: () => number;
  /** Rows per `GET /api/Software` page before `@odata.nextLink` is emitted (§5). @default 10_000 */
  pageSize?: number;
  /** Answer 404 ResourceNotFound instead of an empty `value` on sub-resource collections (§5). @default false */
  emptyIs404?: boolean;
  /** Fault rules active from the start, as if passed to `emulator.faults.add` in order (see faults.ts). @default [] */
  faults?: FaultRule[];
}

/** One handled request, in arrival order. */
export interface RequestLogEntry {
  /** `now()` when the request arrived. */
  at: number;
  method: string;
  /** Pathname exactly as received, still percent-encoded. */
  rawPath: string;
  /** Query string including the leading `?`, or '' when there is none. */
  search: string;
  /** HTTP status answered; 0 when no complete response was sent (`reset` and `hang` faults). */
  status: number;
  authorization: string | null;
  /** Matched route, e.g. 'software.getmissingkbs'; null when nothing matched. */
  route: string | null;
  /** Decoded id when the route has one. */
  id?: string;
  /**
   * The fault applied, when a rule matched: the terminal fault's kind (`storm` for storm 429s), or
   * `latency` when only latency rules applied (the request was then served normally).
   */
  fault?: FaultKind;
}

/** An in-process Defender API. */
export interface Emulator {
  /** WHATWG fetch handler; pass it wherever a `fetch` is injected. No socket needed. */
  fetch(request: Request): Promise<Response>;
  /** Every request so far, including rejected ones (401/403/404/429 ...), with their status. */
  readonly log: RequestLogEntry[];
  /** Empties {@link Emulator.log}. */
  clearLog(): void;
  /** Changes the per-response delay for later requests. */
  setLatency(ms: number): void;
  /** Replaces the quota windows and forgets all calls counted so far. */
  setQuotas(q: QuotaWindow[]): void;
  /** Scriptable faults: `faults.add(rule)` → handle with `remove()`, `faults.clear()`, `faults.pending`. */
  readonly faults: FaultController;
  readonly dataset: Dataset;
}
