import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../defender/http.js';
import { currentScope } from '../upstream/request-scope.js';

/**
 * Wraps a logger so every line written while a request is being handled carries its `requestId`
 * (from the request scope), including upstream retries, 429 pauses and breaker changes.
 */
export function withRequestId(logger: Logger): Logger {
  const tag = (obj: object): object => {
    const requestId = currentScope()?.requestId;
    return requestId && !('requestId' in obj) ? { requestId, ...obj } : obj;
  };
  return {
    debug: (obj, msg) => logger.debug(tag(obj), msg),
    info: (obj, msg) => logger.info(tag(obj), msg),
    warn: (obj, msg) => logger.warn(tag(obj), msg),
    error: (obj, msg) => logger.error(tag(obj), msg),
  };
}

/**
 * A yoga plugin logging one line per HTTP request: id, method, path, status and duration. Only the
 * path is logged (no query string, no headers, no body), so neither tokens nor documents reach logs.
 */
export function requestLogPlugin(logger: Logger, now: () => number = Date.now): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, now());
    },
    onResponse({ request, response }) {
      const start = started.get(request) ?? now();
      logger.info(
        {
          requestId: response.headers.get('x-request-id') ?? currentScope()?.requestId,
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          durationMs: now() - start,
        },
        'request',
      );
    },
  };
}
