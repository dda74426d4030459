import { createServer } from 'node:http';
import { pino } from 'pino';
import { parseConfig } from './config/env.js';
import { createApp } from './server/app.js';
import { requestLogPlugin, withRequestId } from './server/request-log.js';
import { createRuntime } from './server/runtime.js';

/**
 * Process entry: configuration from the environment, the app, a socket and graceful shutdown.
 * Everything else is built by factories that tests call directly.
 */
async function main(): Promise<void> {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(
      `tvm-graphql: invalid configuration:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`,
    );
    process.exit(2);
  }
  const { config } = parsed;
  const root = pino({
    level: config.logLevel,
    redact: { paths: ['*.authorization', '*.token', '*.secret', '*.password'], censor: '[redacted]' },
  });
  // Every line logged while a request is handled carries its request id.
  const logger = withRequestId(root);
  for (const warning of parsed.warnings) logger.warn({}, warning);
  const runtime = createRuntime(config, { logger, processMetrics: true });
  logger.info({ mode: config.credentials.mode }, runtime.description);
  if (runtime.redis && !(await runtime.ready()))
    logger.warn({ redis: runtime.redis.where }, 'Redis not reachable yet: budget and pauses are per replica');
  const app = createApp({
    client: runtime.client,
    logger,
    maxConcurrency: config.maxConcurrency,
    queueTimeoutMs: config.resilience.queueTimeoutMs,
    metrics: runtime.metrics.registry,
    plugins: [requestLogPlugin(logger)],
    limits: config.limits,
    responseCacheTtlMs: config.responseCacheTtlMs,
  });
  const server = createServer(app);
  server.once('error', (error: NodeJS.ErrnoException) => {
    // e.g. EADDRINUSE: say which address, not a stack trace.
    process.stderr.write(
      `tvm-graphql cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}\n`,
    );
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
    logger.info({ port }, `GraphQL and GraphiQL at http://${shown}:${port}/graphql`);
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // Redis closes after the last in-flight request: those still spend budget through it.
    server.close(() => void runtime.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
    // In-flight requests get a bounded grace period; a stuck upstream must not block the shutdown.
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `tvm-graphql failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
