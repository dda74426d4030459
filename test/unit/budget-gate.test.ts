import { describe, expect, it } from 'vitest';
import { createStaticTokenProvider } from '../../src/auth/token-provider.js';
import { createDefenderHttp } from '../../src/defender/http.js';
import { createBudget } from '../../src/upstream/budget.js';
import { budgetKey, createAttemptGate } from '../../src/upstream/gate.js';
import { createMetrics } from '../../src/upstream/metrics.js';
import { createMemoryPauseStore } from '../../src/upstream/pause.js';

const principal = { tenantId: 'contoso', clientId: 'app-1' };
const URL_A = new URL('https://api.security.microsoft.com/api/Software/x');

/** The real pipeline with the gate, a one-call-per-minute budget and a scripted upstream. */
function pipeline(statuses: number[], headers: Record<string, string> = {}) {
  const pause = createMemoryPauseStore();
  const metrics = createMetrics();
  const budget = createBudget({
    windows: [{ name: 'minute', limit: 1, seconds: 60 }],
    maxInFlight: 10,
    pause,
    metrics,
  });
  const sent: string[] = [];
  const http = createDefenderHttp({
    tokens: createStaticTokenProvider(() => 'tok', 'test'),
    fetch: async (input) => {
      sent.push(String(input));
      const status = statuses.shift() ?? 200;
      return Response.json(status === 200 ? { id: 'x' } : { error: { code: 'E' } }, { status, headers });
    },
    attempt: createAttemptGate({ budget, pause, principal, metrics }),
  });
  return { http, sent, pause, metrics };
}

describe('attempt gate: the budget is charged per real HTTP request', () => {
  it('charges the retry after a 401 like any call (here: refused, the window holds one call)', async () => {
    const { http, sent } = pipeline([401, 200]);
    await expect(
      http.getJson(URL_A, { endpoint: 'software.get', deadline: Date.now() + 1000 }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', details: { local: 'budget' } });
    expect(sent).toHaveLength(1);
  });

  it('on a 429 pauses the whole key (tenant + client + host) for Retry-After', async () => {
    const { http, pause, metrics } = pipeline([429], { 'retry-after': '7' });
    await expect(http.getJson(URL_A, { endpoint: 'software.get' })).rejects.toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      details: { status: 429, retryAfterSeconds: 7 },
    });
    const left = await pause.remaining(budgetKey(principal, URL_A));
    expect(left).toBeGreaterThan(6000);
    expect(left).toBeLessThanOrEqual(7000);
    expect(await pause.remaining('contoso|app-2|api.security.microsoft.com')).toBe(0);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tvm_upstream_429_total{endpoint="software.get"} 1');
    expect(text).toContain('tvm_upstream_requests_total{endpoint="software.get",status="429"} 1');
  });
});
