import type { ExecutionResult } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { currentScope, type RequestScope, runInScope } from '../upstream/request-scope.js';

/** What {@link stalePlugin} adds to `extensions` of a response built from stale data. */
export interface StaleExtensions {
  /** Some value in this response is older than its fresh TTL (see `fetchedAt` fields for which). */
  stale: true;
  /** How many distinct cached resources were served stale. */
  staleResources: number;
  /** ISO-8601 fetch time of the oldest of them. */
  oldestFetchedAt?: string;
}

/** The extensions to report for a scope, or undefined when nothing stale was served. */
export function staleExtensions(scope: RequestScope | undefined): StaleExtensions | undefined {
  const count = scope?.stale?.size ?? 0;
  if (count === 0) return undefined;
  const oldest = scope?.oldestStaleFetchedAt;
  return {
    stale: true,
    staleResources: count,
    ...(oldest === undefined ? {} : { oldestFetchedAt: new Date(oldest).toISOString() }),
  };
}

/**
 * A yoga plugin that tells clients when an answer was served from stale cache entries (inside the
 * stale-while-revalidate window, or because Defender was failing): `extensions.stale: true`, with the
 * number of such resources and the oldest fetch time. Fresh answers carry nothing extra.
 *
 * The cache layer records stale serves in the request scope; when no request-scope plugin runs (e.g.
 * a bare test app), this plugin opens a scope around execution itself.
 */
export function stalePlugin(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      let scope = currentScope();
      if (!scope) {
        const own: RequestScope = { stale: new Set() };
        scope = own;
        setExecuteFn((args) => runInScope(own, () => executeFn(args)));
      }
      const seen = scope;
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            const stale = staleExtensions(seen);
            if (!stale) return;
            const withStale: ExecutionResult = {
              ...result,
              extensions: { ...(result.extensions ?? {}), ...stale },
            };
            setResult(withStale);
          });
        },
      };
    },
  };
}
