import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';
import { createStaticTokenProvider, type TokenProvider } from '../../src/auth/token-provider.js';
import { createDefenderClient } from '../../src/defender/client.js';
import { createDefenderHttp, type Logger } from '../../src/defender/http.js';
import {
  createEmulator,
  demoTokenClaims,
  type Emulator,
  type EmulatorOptions,
  mintUnsignedToken,
} from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';

/** A GraphQL response as tests read it. */
export interface GqlResult<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A logger that keeps every line, so tests can assert nothing secret was logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (obj: object, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg }));
  return { lines, debug: log, info: log, warn: log, error: log };
}

/** Options of {@link createTestApp}. */
export interface TestAppOptions {
  emulator?: EmulatorOptions;
  tokens?: TokenProvider;
  maxConcurrency?: number;
  /** Wraps the emulator's fetch, e.g. to break responses or count concurrency. */
  wrapFetch?: (inner: typeof fetch) => typeof fetch;
  /** Whole-response reuse, as `createApp` takes it. @default 0 (off) */
  responseCacheTtlMs?: number;
}

/**
 * The real app, client and pipeline wired to an in-process emulator through its fetch handler: no
 * sockets, yet every upstream call is a real HTTP request/response object the emulator logs.
 */
export function createTestApp(options: TestAppOptions = {}) {
  const emulator: Emulator = createEmulator(options.emulator);
  const logger = memoryLogger();
  const tokens =
    options.tokens ??
    createStaticTokenProvider(() => mintUnsignedToken(demoTokenClaims()), 'test demo token');
  const base: typeof fetch = (input, init) => emulator.fetch(new Request(input, init));
  const upstream = options.wrapFetch ? options.wrapFetch(base) : base;
  const http = createDefenderHttp({ tokens, fetch: upstream, logger, timeoutMs: 5_000 });
  const client = createDefenderClient(http, 'https://api.security.microsoft.com/api');
  const app = createApp({
    client,
    logger,
    maxConcurrency: options.maxConcurrency,
    responseCacheTtlMs: options.responseCacheTtlMs,
  });

  async function gql<
    T = Record<string, unknown>,
    V extends Record<string, unknown> = Record<string, unknown>,
  >(query: string | DocumentNode | TypedDocumentNode<T, V>, variables?: V): Promise<GqlResult<T>> {
    const text = typeof query === 'string' ? query : print(query);
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await response.json()) as GqlResult<T>;
  }

  /** Upstream calls made for one route, e.g. `software.getmissingkbs`. */
  const calls = (route: string) => emulator.log.filter((entry) => entry.route === route);
  return { app, emulator, logger, gql, calls };
}
