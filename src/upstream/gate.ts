import { parseRetryAfter } from '../defender/errors.js';
import type { AttemptHook, CallOptions, Logger } from '../defender/http.js';
import type { Budget } from './budget.js';
import type { UpstreamMetrics } from './metrics.js';
import type { PauseStore } from './pause.js';
import { currentScope } from './request-scope.js';
import { DEFAULT_PAUSE_MS } from './settings.js';

/** What {@link createAttemptGate} needs. */
export interface GateDeps {
  budget: Budget;
  pause: PauseStore;
  /** Tenant and client app of the budget key; the API host comes from each URL. */
  principal: { tenantId: string; clientId: string };
  /** Deadline of calls made outside any request scope (e.g. scripts). @default 10000 */
  queueTimeoutMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  metrics?: UpstreamMetrics;
  logger?: Logger;
}

/** The budget key of a call: tenant + client app + API host, the scope Defender throttles by. */
export function budgetKey(principal: GateDeps['principal'], url: URL): string {
  return `${principal.tenantId}|${principal.clientId}|${url.host}`;
}

/** The deadline of a call: its own, else its request's, else `queueTimeoutMs` from now. */
export function deadlineOf(call: CallOptions, queueTimeoutMs: number, now: () => number): number {
  return call.deadline ?? currentScope()?.deadline ?? now() + queueTimeoutMs;
}

function failureStatus(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
}

/**
 * The per-attempt hook of the request pipeline: waits for the 429 pause and a budget slot, sends,
 * counts the outcome, and on a 429 pauses the whole key for `Retry-After` (in Redis when configured,
 * so every replica stops). Running per real HTTP request, it also charges the retry after a 401.
 */
export function createAttemptGate(deps: GateDeps): AttemptHook {
  const now = deps.now ?? Date.now;
  const queueTimeoutMs = deps.queueTimeoutMs ?? 10_000;
  return async (url, call, send) => {
    const key = budgetKey(deps.principal, url);
    const release = await deps.budget.acquire(key, {
      deadline: deadlineOf(call, queueTimeoutMs, now),
      signal: call.signal,
    });
    try {
      const response = await send();
      deps.metrics?.requests.inc({ endpoint: call.endpoint, status: String(response.status) });
      if (response.status === 429) await paused(key, url, call, response);
      return response;
    } catch (error) {
      deps.metrics?.requests.inc({ endpoint: call.endpoint, status: failureStatus(error) });
      throw error;
    } finally {
      release();
    }
  };

  async function paused(key: string, url: URL, call: CallOptions, response: Response): Promise<void> {
    const seconds = parseRetryAfter(response.headers.get('retry-after'), now());
    const ms = seconds === undefined ? DEFAULT_PAUSE_MS : seconds * 1000;
    deps.metrics?.rateLimited.inc({ endpoint: call.endpoint });
    await deps.pause.pause(key, ms);
    deps.logger?.warn(
      { endpoint: call.endpoint, retryAfterSeconds: ms / 1000, host: url.host },
      'Defender answered 429: pausing every call for this tenant and host',
    );
  }
}
