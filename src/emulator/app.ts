import { audienceSet, authenticate, authorize, DEFAULT_AUDIENCES } from './auth.js';
import { createDemoDataset } from './dataset/generate.js';
import type { Dataset } from './dataset/types.js';
import { createFaultEngine, faultTarget } from './faults-engine.js';
import { type Delivery, deliver, faultDelivery } from './faults-responses.js';
import { handleRoute } from './handlers.js';
import { createQuotaTracker, type QuotaTracker } from './quota.js';
import { EmulatorError, errorResponse, jsonResponse } from './responses.js';
import { decodePath, matchRoute, type RouteMatch } from './routing.js';
import type { Emulator, EmulatorOptions, RequestLogEntry } from './types.js';

interface EmulatorState {
  dataset: Dataset;
  audiences: ReadonlySet<string>;
  pageSize: number;
  emptyIs404: boolean;
  quotas: QuotaTracker;
}

interface Outcome {
  response: Response;
  route: RouteMatch | null;
}

// Checks run in the order a client can act on: path encoding (400), token (401, 403 audience),
// route (404), method (405), permission (403), quota (429), then the handler (404 id, 400 OData).
function respond(state: EmulatorState, request: Request, url: URL, at: number): Outcome {
  let route: RouteMatch | null = null;
  try {
    const segments = decodePath(url.pathname);
    const caller = authenticate(request.headers.get('authorization'), state.audiences, at);
    route = matchRoute(segments);
    if (!route) throw new EmulatorError('NotFound', `No API endpoint matches ${url.pathname}`);
    if (request.method !== 'GET') {
      const message = `Method ${request.method} is not allowed; this endpoint only supports GET`;
      throw new EmulatorError('MethodNotAllowed', message, { Allow: 'GET' });
    }
    authorize(caller, route.permission);
    state.quotas.admit(`${caller.quotaKey}|${route.name}`, at);
    const { dataset, pageSize, emptyIs404 } = state;
    return { response: jsonResponse(handleRoute({ dataset, route, url, pageSize, emptyIs404 })), route };
  } catch (error) {
    if (error instanceof EmulatorError) return { response: errorResponse(error), route };
    // A bug in the emulator should look like Defender's own 500, not a rejected fetch.
    return { response: errorResponse(new EmulatorError('InternalServerError', String(error))), route };
  }
}

/**
 * Creates an in-process Defender API (defender-api.md §9). Every request is logged, whatever its
 * status, before the configured latency elapses. Scripted faults (`options.faults`, `emulator.faults`)
 * are decided first and pre-empt auth, quota and handlers (see faults.ts).
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const now = options.now ?? Date.now;
  const state: EmulatorState = {
    dataset: options.dataset ?? createDemoDataset(),
    audiences: audienceSet(options.acceptedAudiences ?? DEFAULT_AUDIENCES),
    pageSize: options.pageSize ?? 10_000,
    emptyIs404: options.emptyIs404 ?? false,
    quotas: createQuotaTracker(options.quotas ?? []),
  };
  let latencyMs = options.latencyMs ?? 0;
  const log: RequestLogEntry[] = [];
  const faults = createFaultEngine(options.faults);
  return {
    dataset: state.dataset,
    log,
    faults,
    clearLog: () => {
      log.length = 0;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setQuotas: (q) => {
      state.quotas = createQuotaTracker(q);
    },
    async fetch(request) {
      const url = new URL(request.url);
      const at = now();
      const target = faultTarget(url);
      const decision = faults.decide(target, at);
      let delivery: Delivery;
      let route: { name: string; id?: string } | null = null;
      if (decision.fault) {
        delivery = faultDelivery(decision.fault, url, target);
        route = target.route === null ? null : { name: target.route, id: target.id };
      } else {
        const outcome = respond(state, request, url, at);
        delivery = { type: 'response', response: outcome.response };
        route = outcome.route;
      }
      log.push({
        at,
        method: request.method,
        rawPath: url.pathname,
        search: url.search,
        status: delivery.type === 'response' ? delivery.response.status : 0,
        authorization: request.headers.get('authorization'),
        route: route?.name ?? null,
        ...(route?.id === undefined ? {} : { id: route.id }),
        ...(decision.kind === undefined ? {} : { fault: decision.kind }),
      });
      return faults.hold(deliver(delivery, latencyMs + decision.delayMs, request.signal));
    },
  };
}
