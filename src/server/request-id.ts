import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const HEADER = 'x-request-id';

/**
 * Request ids: the caller's `x-request-id` when it is short and plain (so logs cannot be forged),
 * else a fresh UUID; echoed in the response header and available to the GraphQL context.
 */
export function createRequestIds(): { plugin: Plugin; idOf(request: Request): string } {
  const ids = new WeakMap<Request, string>();
  const idOf = (request: Request): string => {
    let id = ids.get(request);
    if (!id) {
      const given = request.headers.get(HEADER);
      id = given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  return {
    idOf,
    plugin: {
      onResponse({ request, response }) {
        response.headers.set(HEADER, idOf(request));
      },
    },
  };
}
