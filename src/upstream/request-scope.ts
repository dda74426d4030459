import { AsyncLocalStorage } from 'node:async_hooks';
import type { Plugin } from 'graphql-yoga';

/**
 * Per-request values that upstream code needs without threading them through every signature
 * (resolvers → DataLoaders → client → http): the operation's deadline, its request id for logs, and
 * the cache keys served stale. Carried by AsyncLocalStorage, so a DataLoader batch scheduled from a
 * resolver, and every promise continuation after it, sees the scope of the request that started it.
 */
export interface RequestScope {
  /** Epoch milliseconds after which no call of this operation may wait, retry or start. */
  deadline?: number;
  /** Cache keys this request was answered from stale (the cache layer fills it). */
  stale?: Set<string>;
  /** Oldest `fetchedAt` (epoch ms) among the values served stale (the cache layer fills it). */
  oldestStaleFetchedAt?: number;
  /** The request id echoed in `x-request-id`, for log lines. */
  requestId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the request whose work is running now, if any. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it schedules) inside `scope`. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Options of {@link requestScopePlugin}. */
export interface RequestScopeOptions {
  /** How long an operation's upstream calls may queue, retry and start, from its arrival. @default 10000 */
  queueTimeoutMs?: number;
  /** The request id of a request (memoized by the request-id plugin, so both agree). */
  idOf?: (request: Request) => string;
  /** Clock, epoch milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * A yoga plugin that runs the whole handling of each HTTP request (parse, validate, execute, respond)
 * inside a fresh {@link RequestScope} whose deadline is arrival + `queueTimeoutMs`. The request
 * instrument wraps everything, so planners, resolvers and loaders all read the same deadline.
 */
export function requestScopePlugin(options: RequestScopeOptions = {}): Plugin {
  const queueTimeoutMs = options.queueTimeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  return {
    instrumentation: {
      request: ({ request }, wrapped) =>
        storage.run(
          {
            deadline: now() + queueTimeoutMs,
            stale: new Set(),
            ...(options.idOf ? { requestId: options.idOf(request) } : {}),
          },
          wrapped,
        ),
    },
  };
}
