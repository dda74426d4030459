import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { DefenderClient } from '../defender/client.js';
import type { Logger } from '../defender/http.js';
import { createLoaders } from '../loaders/index.js';
import type { Context } from '../schema/context.js';
import { createExistenceChecks } from '../schema/existence.js';
import { schema } from '../schema/index.js';
import { metricsRoute } from '../upstream/metrics.js';
import { requestScopePlugin } from '../upstream/request-scope.js';
import { retryAfterPlugin } from '../upstream/retry-after.js';
import { deferStreamPlugins } from './defer.js';
import { maskError } from './errors.js';
import { EXAMPLE_QUERY } from './graphiql.js';
import { usePlanner } from './planner.js';
import type { OperationLimits } from './planner-defaults.js';
import { useQueryLimits } from './planner-limits.js';
import { createRequestIds } from './request-id.js';
import { responseCachePlugin } from './response-cache.js';
import { stalePlugin } from './stale.js';

/** What the app needs from the outside world; `createRuntime` builds it from configuration. */
export interface AppDeps {
  client: DefenderClient;
  logger: Logger;
  /** Calls in flight per DataLoader batch. @default 10 */
  maxConcurrency?: number;
  /** Extra yoga plugins (metrics, limits). */
  plugins?: Plugin[];
  /** How long an operation's Defender calls may wait for budget and retries. @default 10000 */
  queueTimeoutMs?: number;
  /** Served at `GET /metrics` when set (`runtime.metrics.registry`). */
  metrics?: Registry;
  /** Call planning and depth/alias/token limits (README "Planning and limits"). @default DEFAULT_LIMITS */
  limits?: Partial<OperationLimits>;
  /** Whole-response reuse for identical operations, in ms (README "Caching and staleness"). @default 0 (off) */
  responseCacheTtlMs?: number;
}

/**
 * Builds the GraphQL HTTP app without listening, so tests call `app.fetch` and only `main.ts` opens a
 * socket. GraphiQL is rendered from bundled assets (no CDN), errors are masked, `/health` answers.
 */
export function createApp(deps: AppDeps): YogaServerInstance<Record<string, unknown>, Context> {
  const requestIds = createRequestIds();
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'tvm-graphql', defaultQuery: EXAMPLE_QUERY },
    renderGraphiQL,
    maskedErrors: { maskError },
    logging: {
      debug: (...args) => deps.logger.debug({ yoga: args.map(String) }),
      info: (...args) => deps.logger.info({ yoga: args.map(String) }),
      warn: (...args) => deps.logger.warn({ yoga: args.map(String) }),
      error: (...args) => deps.logger.error({ yoga: args.map(String) }),
    },
    // @defer/@stream: a client gets the list first and slow per-id fields as they arrive.
    plugins: [
      requestIds.plugin,
      // Deadline + request id for upstream calls, wrapping the whole request; Retry-After on refusals.
      requestScopePlugin({ queueTimeoutMs: deps.queueTimeoutMs, idOf: requestIds.idOf }),
      retryAfterPlugin(),
      // `extensions.stale` when a value served to this response was past its fresh TTL.
      stalePlugin(),
      // Shape limits at parse/validation, then the upstream call estimate before execution.
      useQueryLimits(deps.limits),
      usePlanner({ ...deps.limits, logger: deps.logger }),
      // After the planner: a refused operation never reaches it, and hits keep `extensions.cost`.
      ...responseCachePlugin({ ttlMs: deps.responseCacheTtlMs ?? 0 }),
      ...(deps.metrics ? [metricsRoute(deps.metrics)] : []),
      ...deferStreamPlugins(),
      ...(deps.plugins ?? []),
    ],
    context: ({ request }) => {
      const loaders = createLoaders(deps.client, {
        maxConcurrency: deps.maxConcurrency,
        signal: request.signal,
      });
      return {
        loaders,
        existence: createExistenceChecks(loaders),
        requestId: requestIds.idOf(request),
        client: deps.client,
        signal: request.signal,
      };
    },
  });
}
