import { createMsalTokenProvider } from '../auth/msal-provider.js';
import { createStaticTokenProvider, type TokenProvider } from '../auth/token-provider.js';
import type { Config } from '../config/env.js';
import { createDefenderClient, type DefenderClient } from '../defender/client.js';
import { createDefenderHttp, type Logger } from '../defender/http.js';
import { createEmulator, demoTokenClaims, type Emulator, mintUnsignedToken } from '../emulator/index.js';

/** The wired-up upstream side of the app. */
export interface Runtime {
  client: DefenderClient;
  tokens: TokenProvider;
  /** Present in demo mode: the in-process emulator serving the demo dataset. */
  emulator?: Emulator;
  /** One line for the start-up log saying where data comes from. */
  description: string;
}

/** Options of {@link createRuntime}; `fetch` is injectable for tests. */
export interface RuntimeOptions {
  logger: Logger;
  fetch?: typeof fetch;
}

/**
 * Wires tokens, the request pipeline and the typed client from configuration. Without Azure
 * credentials it starts the emulator in-process and talks to it through its fetch handler, so demo
 * mode needs no port, no network and no secret, yet exercises the same client code as production.
 */
export function createRuntime(config: Config, options: RuntimeOptions): Runtime {
  const { logger } = options;
  if (config.credentials.mode === 'demo') {
    const emulator = createEmulator({ latencyMs: config.demoLatencyMs });
    const tokens = createStaticTokenProvider(
      () => mintUnsignedToken(demoTokenClaims()),
      'demo token for the built-in emulator',
    );
    const apiRoot = 'https://api.security.microsoft.com/api';
    const http = createDefenderHttp({
      tokens,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
      timeoutMs: config.timeoutMs,
      logger,
    });
    return {
      client: createDefenderClient(http, apiRoot),
      tokens,
      emulator,
      description: `DEMO MODE: no Azure credentials set, serving the built-in emulator's demo dataset (${emulator.dataset.software.length} software)`,
    };
  }
  const { tenantId, clientId, credential, authorityHost, scope } = config.credentials;
  const tokens = createMsalTokenProvider({
    tenantId,
    clientId,
    credential,
    authorityHost,
    scope,
    fetch: options.fetch,
    logger,
  });
  const http = createDefenderHttp({ tokens, fetch: options.fetch, timeoutMs: config.timeoutMs, logger });
  return {
    client: createDefenderClient(http, config.apiRoot),
    tokens,
    description: `Defender at ${config.apiRoot} (cloud ${config.cloud}), ${tokens.description}, scope ${scope}`,
  };
}
