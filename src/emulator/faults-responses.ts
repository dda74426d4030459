import type { DefenderErrorBody } from '../defender/types.js';
import type { FaultDecision, FaultTarget } from './faults-engine.js';

/** What the emulator does for a request: answer, drop the connection, or never answer. */
export type Delivery =
  | { type: 'response'; response: Response }
  /** `cutOff`: the 200 whose body drops half-way (`afterHeaders`); absent: drop before any byte. */
  | { type: 'reset'; cutOff?: Response }
  | { type: 'hang' };

/** What a reset sent before dropping the connection, for the HTTP server to replay on the socket. */
export interface PartialResponse {
  status: number;
  headers: Record<string, string>;
  /** Bytes sent before the drop. */
  sent: string;
}

const JSON_TYPE = 'application/json; odata.metadata=minimal; charset=utf-8';
const DEFAULT_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};
// Responses whose body drops mid-way; server.ts replays them on the socket and then drops it.
const partials = new WeakMap<Response, PartialResponse>();
// Errors that stand for a reset before any byte; server.ts resets the socket instead of answering.
const resets = new WeakSet<Error>();

type TerminalFault = NonNullable<FaultDecision['fault']>;

function statusResponse(fault: Extract<TerminalFault, { kind: 'status' }>): Response {
  const retryAfter = fault.retryAfter === undefined ? (fault.status === 429 ? 1 : null) : fault.retryAfter;
  const message =
    fault.message ??
    (fault.status === 429
      ? `Rate limit is exceeded. Try again in ${retryAfter ?? 1} seconds.`
      : `The service answered HTTP ${fault.status}.`);
  const body: DefenderErrorBody = {
    error: {
      code: fault.code ?? DEFAULT_CODES[fault.status] ?? `Http${fault.status}`,
      message,
      target: crypto.randomUUID(),
    },
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== null) headers['retry-after'] = String(retryAfter);
  return new Response(JSON.stringify(body), { status: fault.status, headers });
}

function htmlPage(status: number): string {
  const title = `${status} ${status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>Microsoft-Azure-Application-Gateway/v2</center>\r\n</body>\r\n</html>\r\n`;
}

// A plausible body for the route; any strict prefix of a JSON object is unparseable.
function plausibleJson(url: URL, target: FaultTarget): string {
  return JSON.stringify({
    '@odata.context': `https://${url.host}/api/$metadata#Collection(microsoft.windowsDefenderATP.api.PublicProductFixDto)`,
    value: [{ id: target.id ?? '5041241', name: 'June 2024 Security Updates', machineMissedOn: 33 }],
  });
}

function truncated(url: URL, target: FaultTarget): string {
  const full = plausibleJson(url, target);
  return full.slice(0, Math.floor(full.length / 2));
}

/** Builds what a terminal fault answers. */
export function faultDelivery(fault: TerminalFault, url: URL, target: FaultTarget): Delivery {
  switch (fault.kind) {
    case 'status':
      return { type: 'response', response: statusResponse(fault) };
    case 'malformed-json': {
      // An explicit length, so the client sees a complete response rather than a cut-off one.
      const body = truncated(url, target);
      const headers = { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(body)) };
      return { type: 'response', response: new Response(body, { headers }) };
    }
    case 'wrong-shape': {
      const body = {
        '@odata.context': `https://${url.host}/api/$metadata#Edm.String`,
        value: 'ok',
        id: null,
      };
      return { type: 'response', response: Response.json(body) };
    }
    case 'html': {
      const status = fault.status ?? 502;
      const headers = { 'content-type': 'text/html', server: 'Microsoft-Azure-Application-Gateway/v2' };
      return { type: 'response', response: new Response(htmlPage(status), { status, headers }) };
    }
    case 'reset':
      return fault.afterHeaders ? { type: 'reset', cutOff: cutOffResponse(url, target) } : { type: 'reset' };
    case 'hang':
      return { type: 'hang' };
  }
}

/** undici's shape for a dropped connection: `TypeError('fetch failed')` with an ECONNRESET cause. */
export function connectionResetError(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
  const error = new TypeError('fetch failed', { cause });
  resets.add(error);
  return error;
}

/** True for the error a `reset` fault rejects with (before any byte). */
export function isConnectionReset(error: unknown): boolean {
  return error instanceof Error && resets.has(error);
}

/** A 200 whose body stream fails half-way with undici's `TypeError('terminated')`. */
export function cutOffResponse(url: URL, target: FaultTarget): Response {
  const full = plausibleJson(url, target);
  const sent = truncated(url, target);
  const headers = { 'content-type': JSON_TYPE, 'content-length': String(Buffer.byteLength(full)) };
  let delivered = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (delivered) {
        controller.error(new TypeError('terminated', { cause: connectionResetError().cause }));
        return;
      }
      delivered = true;
      controller.enqueue(new TextEncoder().encode(sent));
    },
  });
  const response = new Response(body, { status: 200, headers });
  partials.set(response, { status: 200, headers, sent });
  return response;
}

/** The bytes a `reset` with `afterHeaders` sends before dropping, or undefined for any other response. */
export function partialOf(response: Response): PartialResponse | undefined {
  return partials.get(response);
}

/**
 * Waits `delayMs` (abortable), then answers, rejects like a dropped connection, or hangs until the
 * signal aborts.
 */
export async function deliver(delivery: Delivery, delayMs: number, signal: AbortSignal): Promise<Response> {
  await delay(delayMs, signal);
  if (delivery.type === 'response') return delivery.response;
  if (delivery.type === 'hang') return hang(signal);
  if (delivery.cutOff) return delivery.cutOff;
  throw connectionResetError();
}

/** Resolves after `ms` or rejects with the signal's reason, clearing the timer either way. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Never resolves; rejects with the signal's reason when it aborts. No timer is created. */
export function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
