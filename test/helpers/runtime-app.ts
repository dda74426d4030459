import { parseConfig } from '../../src/config/env.js';
import type { Emulator } from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';
import { withRequestId } from '../../src/server/request-log.js';
import { createRuntime, type RuntimeOptions } from '../../src/server/runtime.js';
import { type GqlResult, memoryLogger } from './app.js';

/** Options of {@link createRuntimeApp}. */
export interface RuntimeAppOptions {
  /** Environment as `main.ts` would read it (demo mode: no AZURE_*). */
  env?: Record<string, string>;
  /** Shared by several instances, so one emulator log counts every upstream call. */
  emulator: Emulator;
  now?: RuntimeOptions['now'];
  random?: RuntimeOptions['random'];
}

/** One HTTP answer of the app, as a client sees it. */
export interface HttpAnswer<T> {
  status: number;
  headers: Headers;
  body: GqlResult<T>;
}

/**
 * The production wiring (`parseConfig` → `createRuntime` → `createApp`, as `main.ts` does) over a
 * given in-process emulator: budget, pauses, retries, breaker, Redis and metrics all real.
 */
export async function createRuntimeApp(options: RuntimeAppOptions) {
  const parsed = parseConfig(options.env ?? {});
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const { config } = parsed;
  const logger = memoryLogger();
  const scoped = withRequestId(logger);
  const runtime = createRuntime(config, {
    logger: scoped,
    emulator: options.emulator,
    now: options.now,
    random: options.random,
  });
  if (!(await runtime.ready(5000))) throw new Error('Redis did not connect');
  const app = createApp({
    client: runtime.client,
    logger: scoped,
    maxConcurrency: config.maxConcurrency,
    queueTimeoutMs: config.resilience.queueTimeoutMs,
    metrics: runtime.metrics.registry,
  });

  async function gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as GqlResult<T>,
    };
  }

  /** The `/metrics` text. */
  const metrics = async () => (await app.fetch('http://app/metrics')).text();
  return { app, runtime, config, logger, gql, metrics, close: () => runtime.close() };
}
