import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus series of the upstream side. One registry per runtime (not prom-client's global one), so
 * several app instances in one process, as in tests, never share or double-register counters.
 * Label values are endpoint templates, hosts, windows and resources, never ids, so cardinality stays
 * bounded.
 */
export interface UpstreamMetrics {
  registry: Registry;
  /** HTTP requests that reached Defender, by endpoint template and status (`network`, `timeout` when none). */
  requests: Counter<'endpoint' | 'status'>;
  /** Extra attempts after a transient failure or a 429, by endpoint and reason (`transient`, `rate_limited`). */
  retries: Counter<'endpoint' | 'reason'>;
  /** 429 answers from Defender, by endpoint template. */
  rateLimited: Counter<'endpoint'>;
  /** Seconds a call waited for the budget (pause, quota windows, concurrency cap), by outcome. */
  budgetWait: Histogram<'outcome'>;
  /** Calls left in each quota window after the last admitted call (`minute`, `hour`). */
  budgetRemaining: Gauge<'window'>;
  /** Calls refused by the budget at their deadline, by reason (`pause`, `quota`, `concurrency`). */
  budgetRejected: Counter<'reason'>;
  /** Circuit breaker state per API host: 0 closed, 1 half-open, 2 open. */
  breakerState: Gauge<'host'>;
  /** Cache lookups answered fresh, by resource (incremented by the cache layer). */
  cacheHits: Counter<'resource'>;
  /** Cache lookups that needed an upstream call, by resource. */
  cacheMisses: Counter<'resource'>;
  /** Values served stale (stale-while-revalidate or stale-if-error), by resource. */
  cacheStale: Counter<'resource'>;
  /** Callers that joined an in-flight upstream call for the same key instead of making one, by resource. */
  singleflightJoins: Counter<'resource'>;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Also collect Node process metrics (memory, CPU, event loop). @default false */
  processMetrics?: boolean;
}

/** Creates the registry and every series; all start at zero so dashboards see them before traffic. */
export function createMetrics(options: MetricsOptions = {}): UpstreamMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  return {
    registry,
    requests: counter('tvm_upstream_requests_total', 'HTTP requests sent to Defender', [
      'endpoint',
      'status',
    ]),
    retries: counter('tvm_upstream_retries_total', 'Retried Defender calls', ['endpoint', 'reason']),
    rateLimited: counter('tvm_upstream_429_total', '429 answers from Defender', ['endpoint']),
    budgetWait: new Histogram({
      name: 'tvm_upstream_budget_wait_seconds',
      help: 'Time a call waited for the upstream budget',
      labelNames: ['outcome'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    budgetRemaining: new Gauge({
      name: 'tvm_upstream_budget_remaining',
      help: 'Calls left in the quota window after the last admitted call',
      labelNames: ['window'],
      registers,
    }),
    budgetRejected: counter('tvm_upstream_budget_rejected_total', 'Calls refused by the budget', ['reason']),
    breakerState: new Gauge({
      name: 'tvm_upstream_breaker_state',
      help: 'Circuit breaker per API host: 0 closed, 1 half-open, 2 open',
      labelNames: ['host'],
      registers,
    }),
    cacheHits: counter('tvm_cache_hits_total', 'Fresh cache hits', ['resource']),
    cacheMisses: counter('tvm_cache_misses_total', 'Cache misses', ['resource']),
    cacheStale: counter('tvm_cache_stale_total', 'Stale cache serves', ['resource']),
    singleflightJoins: counter('tvm_cache_singleflight_joins_total', 'Joined in-flight calls', ['resource']),
  };
}

/**
 * A yoga plugin serving the registry at `GET /metrics` in the Prometheus text format. It answers
 * before GraphQL handling starts, so scrapes neither parse documents nor count as operations.
 */
export function metricsRoute(registry: Registry, path = '/metrics'): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      endResponse(
        new fetchAPI.Response(await registry.metrics(), {
          status: 200,
          headers: { 'content-type': registry.contentType },
        }),
      );
    },
  };
}
