import { createMsalTokenProvider } from '../auth/msal-provider.js';
import { createStaticTokenProvider, type TokenProvider } from '../auth/token-provider.js';
import type { Config } from '../config/env.js';
import { createDefenderClient, type DefenderClient } from '../defender/client.js';
import { createDefenderHttp, type DefenderHttp, type Logger } from '../defender/http.js';
import {
  createEmulator,
  DEMO_APP_ID,
  DEMO_TENANT_ID,
  demoTokenClaims,
  type Emulator,
  mintUnsignedToken,
} from '../emulator/index.js';
import { createCacheLayer } from '../upstream/cache-setup.js';
import { createUpstreamLayer, type UpstreamLayer } from '../upstream/layer.js';
import { createMetrics, type UpstreamMetrics } from '../upstream/metrics.js';
import { connectRedis, type RedisConnection } from '../upstream/redis.js';

/** The wired-up upstream side of the app. */
export interface Runtime {
  client: DefenderClient;
  tokens: TokenProvider;
  /** Present in demo mode: the in-process emulator serving the demo dataset. */
  emulator?: Emulator;
  /** One line for the start-up log saying where data comes from. */
  description: string;
  /** Prometheus series; serve `metrics.registry` at `/metrics`. */
  metrics: UpstreamMetrics;
  /** Budget, pause and breakers (for tests and diagnostics). */
  upstream: UpstreamLayer;
  /** Present with `REDIS_URL`. */
  redis?: RedisConnection;
  /** Resolves once Redis is connected (at once without Redis); false when it could not connect in time. */
  ready(timeoutMs?: number): Promise<boolean>;
  /** Releases connections (Redis). */
  close(): Promise<void>;
}

/** Options of {@link createRuntime}; `fetch`, `emulator` and the clock are injectable for tests. */
export interface RuntimeOptions {
  logger: Logger;
  fetch?: typeof fetch;
  /** Demo mode only: serve this emulator instead of a new one (tests share one between instances). */
  emulator?: Emulator;
  /** Also export Node process metrics. @default false */
  processMetrics?: boolean;
  /** Clock of the budget, pauses and breakers. @default Date.now */
  now?: () => number;
  /** Jitter source of retries. @default Math.random */
  random?: () => number;
}

/** Where calls go and as whom: the part that differs between demo and real mode. */
interface Upstream {
  tokens: TokenProvider;
  fetch?: typeof fetch;
  apiRoot: string;
  principal: { tenantId: string; clientId: string };
  emulator?: Emulator;
  description: string;
}

function demoUpstream(config: Config, options: RuntimeOptions): Upstream {
  const emulator = options.emulator ?? createEmulator({ latencyMs: config.demoLatencyMs });
  return {
    tokens: createStaticTokenProvider(
      () => mintUnsignedToken(demoTokenClaims()),
      'demo token for the built-in emulator',
    ),
    fetch: (input, init) => emulator.fetch(new Request(input, init)),
    apiRoot: 'https://api.security.microsoft.com/api',
    principal: { tenantId: DEMO_TENANT_ID, clientId: DEMO_APP_ID },
    emulator,
    description: `DEMO MODE: no Azure credentials set, serving the built-in emulator's demo dataset (${emulator.dataset.software.length} software)`,
  };
}

function azureUpstream(config: Config, options: RuntimeOptions): Upstream {
  if (config.credentials.mode !== 'azure') throw new Error('azure credentials expected');
  const { tenantId, clientId, credential, authorityHost, scope } = config.credentials;
  const tokens = createMsalTokenProvider({
    tenantId,
    clientId,
    credential,
    authorityHost,
    scope,
    fetch: options.fetch,
    logger: options.logger,
  });
  return {
    tokens,
    fetch: options.fetch,
    apiRoot: config.apiRoot,
    principal: { tenantId, clientId },
    description: `Defender at ${config.apiRoot} (cloud ${config.cloud}), ${tokens.description}, scope ${scope}`,
  };
}

/**
 * Wires tokens, the request pipeline, the budget and resilience layer and the typed client from
 * configuration. Without Azure credentials it starts the emulator in-process and talks to it through
 * its fetch handler, so demo mode needs no port, no network and no secret, yet exercises the same
 * client code, budget and retries as production.
 */
export function createRuntime(config: Config, options: RuntimeOptions): Runtime {
  const { logger } = options;
  const upstream =
    config.credentials.mode === 'demo' ? demoUpstream(config, options) : azureUpstream(config, options);
  const metrics = createMetrics({ processMetrics: options.processMetrics });
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const layer = createUpstreamLayer({
    settings: config.resilience,
    principal: upstream.principal,
    redis: redis?.redis,
    metrics,
    logger,
    now: options.now,
    random: options.random,
  });
  const pipeline = createDefenderHttp({
    tokens: upstream.tokens,
    fetch: upstream.fetch,
    timeoutMs: config.timeoutMs,
    logger,
    attempt: layer.attempt,
  });
  const resilient: DefenderHttp = layer.wrap(pipeline);
  // The cache wraps `resilient`, outside the budget, retries and breaker: a hit spends no budget, and
  // its misses and background refreshes go through the same budget as every call.
  const cache = createCacheLayer({
    config: config.cache,
    ...upstream.principal,
    apiRoot: upstream.apiRoot,
    redis: redis?.redis,
    metrics,
    logger,
    now: options.now,
  });
  const http: DefenderHttp = cache.wrap(resilient);
  const shared = redis ? `; budget and 429 pauses shared through Redis at ${redis.where}` : '';
  return {
    client: createDefenderClient(http, upstream.apiRoot),
    tokens: upstream.tokens,
    ...(upstream.emulator ? { emulator: upstream.emulator } : {}),
    description: `${upstream.description}${shared}; cache in ${cache.where}`,
    metrics,
    upstream: layer,
    ...(redis ? { redis } : {}),
    ready: async (timeoutMs) => (redis ? redis.ready(timeoutMs) : true),
    close: async () => {
      await redis?.close();
    },
  };
}
