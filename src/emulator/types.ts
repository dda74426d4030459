import type { Dataset } from './dataset/types.js';
import type { QuotaWindow } from './quota.js';

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** The world the API serves. @default createDemoDataset() (cached per seed) */
  dataset?: Dataset;
  /** Delay in milliseconds added before every response (a real timer, so fake timers control it). @default 0 */
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
  status: number;
  authorization: string | null;
  /** Matched route, e.g. 'software.getmissingkbs'; null when nothing matched. */
  route: string | null;
  /** Decoded id when the route has one. */
  id?: string;
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
  readonly dataset: Dataset;
}
