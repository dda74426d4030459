import { audienceSet, authenticate, authorize, DEFAULT_AUDIENCES } from './auth.js';
import { createDemoDataset } from './dataset/generate.js';
import { handleRoute } from './handlers.js';
import { createQuotaTracker } from './quota.js';
import { EmulatorError, errorResponse, jsonResponse } from './responses.js';
import { decodePath, matchRoute, type RouteMatch } from './routing.js';
import type { Emulator, EmulatorOptions, RequestLogEntry } from './types.js';

/**
 * Creates an in-process Defender API. Checks run in the order a client can act on: path encoding
 * (400), token (401, 403 audience), route (404), method (405), permission (403), quota (429), then
 * the handler (404 unknown id, 400 OData). Every request is logged, whatever its status.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const dataset = options.dataset ?? createDemoDataset();
  const now = options.now ?? Date.now;
  const audiences = audienceSet(options.acceptedAudiences ?? DEFAULT_AUDIENCES);
  const pageSize = options.pageSize ?? 10_000;
  const emptyIs404 = options.emptyIs404 ?? false;
  let latencyMs = options.latencyMs ?? 0;
  let quotas = createQuotaTracker(options.quotas ?? []);
  const log: RequestLogEntry[] = [];

  const respond = (
    request: Request,
    url: URL,
    at: number,
  ): { response: Response; route: RouteMatch | null } => {
    let route: RouteMatch | null = null;
    try {
      const segments = decodePath(url.pathname);
      const caller = authenticate(request.headers.get('authorization'), audiences, at);
      route = matchRoute(segments);
      if (!route) throw new EmulatorError('NotFound', `No API endpoint matches ${url.pathname}`);
      if (request.method !== 'GET') {
        throw new EmulatorError(
          'MethodNotAllowed',
          `Method ${request.method} is not allowed; this endpoint only supports GET`,
          { Allow: 'GET' },
        );
      }
      authorize(caller, route.permission);
      quotas.admit(`${caller.quotaKey}|${route.name}`, at);
      return { response: jsonResponse(handleRoute({ dataset, route, url, pageSize, emptyIs404 })), route };
    } catch (error) {
      if (error instanceof EmulatorError) return { response: errorResponse(error), route };
      // A bug in the emulator should look like Defender's own 500, not a rejected fetch.
      return { response: errorResponse(new EmulatorError('InternalServerError', String(error))), route };
    }
  };

  return {
    dataset,
    log,
    clearLog: () => {
      log.length = 0;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setQuotas: (q) => {
      quotas = createQuotaTracker(q);
    },
    async fetch(request) {
      const url = new URL(request.url);
      const at = now();
      const { response, route } = respond(request, url, at);
      log.push({
        at,
        method: request.method,
        rawPath: url.pathname,
        search: url.search,
        status: response.status,
        authorization: request.headers.get('authorization'),
        route: route?.name ?? null,
        ...(route?.id === undefined ? {} : { id: route.id }),
      });
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return response;
    },
  };
}
