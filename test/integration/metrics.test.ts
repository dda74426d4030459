import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import { startLocalAuthority } from '../helpers/authority.js';
import { type Started, startScript } from '../helpers/process.js';
import { createRuntimeApp } from '../helpers/runtime-app.js';

const EDGE = 'microsoft-_-edge';
const CHROME = 'google-_-chrome';
const OFFICE = 'microsoft-_-office';
const BY_IDS = 'query ($ids: [ID!]!) { softwareByIds(ids: $ids) { id name } }';

describe('/metrics after a known workload', () => {
  it('counts requests by endpoint and status, retries, 429s, budget and breaker state', async () => {
    const emulator = createEmulator();
    emulator.faults.add({ match: { id: OFFICE }, times: 1, fault: { kind: 'status', status: 503 } });
    emulator.faults.add({
      match: { id: CHROME },
      times: 1,
      fault: { kind: 'status', status: 429, retryAfter: 0 },
    });
    const app = await createRuntimeApp({ emulator, random: () => 0 });
    const answer = await app.gql(BY_IDS, { ids: [EDGE, OFFICE, CHROME, 'contoso-_-nothing'] });
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(emulator.log.map((e) => e.status).sort()).toEqual([200, 200, 200, 404, 429, 503]);

    const response = await app.app.fetch('http://app/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const series = [
      'tvm_upstream_requests_total{endpoint="software.get",status="200"} 3',
      'tvm_upstream_requests_total{endpoint="software.get",status="404"} 1',
      'tvm_upstream_requests_total{endpoint="software.get",status="429"} 1',
      'tvm_upstream_requests_total{endpoint="software.get",status="503"} 1',
      'tvm_upstream_retries_total{endpoint="software.get",reason="transient"} 1',
      'tvm_upstream_retries_total{endpoint="software.get",reason="rate_limited"} 1',
      'tvm_upstream_429_total{endpoint="software.get"} 1',
      'tvm_upstream_budget_remaining{window="minute"} 94',
      'tvm_upstream_budget_remaining{window="hour"} 1494',
      'tvm_upstream_budget_wait_seconds_count{outcome="admitted"} 6',
      'tvm_upstream_breaker_state{host="api.security.microsoft.com"} 0',
    ];
    for (const line of series) expect(text.split('\n')).toContain(line);
    for (const name of ['hits', 'misses', 'stale', 'singleflight_joins'])
      expect(text).toContain(`# TYPE tvm_cache_${name}_total counter`);
    // A scrape is not a GraphQL request: it made no upstream call.
    expect(emulator.log).toHaveLength(6);
  });
});

describe('JSON logs of npm start', () => {
  const started: Started[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const s of started) s.child.kill('SIGKILL');
    for (const close of closers) await close();
  });

  it('carry the request id on request and upstream lines, and never the secret or the bearer token', async () => {
    const SECRET = 'observability-test-secret-4711';
    const CLIENT = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const authority = await startLocalAuthority({ clients: { [CLIENT]: { secret: SECRET } } });
    const upstream = await startEmulatorServer({ port: 0 });
    closers.push(authority.close, upstream.close);
    upstream.emulator.faults.add({ match: { id: OFFICE }, times: 1, fault: { kind: 'status', status: 503 } });
    const server = startScript('src/main.ts', {
      PORT: '0',
      LOG_LEVEL: 'debug',
      AZURE_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: SECRET,
      AZURE_AUTHORITY_HOST: authority.url,
      DEFENDER_API_URL: upstream.url,
      DEFENDER_RETRY_BASE_MS: '1',
    });
    started.push(server);
    const [, url] = await server.waitFor(/GraphQL and GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/);
    const response = await fetch(url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-observe-1' },
      body: JSON.stringify({ query: BY_IDS, variables: { ids: [EDGE, OFFICE] } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
    const metrics = await (await fetch(new URL('/metrics', url))).text();
    expect(metrics).toContain('tvm_upstream_requests_total{endpoint="software.get",status="503"} 1');
    expect(metrics).toContain('process_resident_memory_bytes');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const ofRequest = lines.filter((l) => l.requestId === 'req-observe-1');
    expect(ofRequest.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['Defender call failed', 'retrying Defender call', 'request']),
    );
    expect(ofRequest.find((l) => l.msg === 'request')).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
    });
    const output = server.output();
    expect(authority.tokensIssued.length).toBeGreaterThan(0);
    for (const token of authority.tokensIssued) expect(output).not.toContain(token);
    expect(output).not.toContain(SECRET);
    expect(output).not.toMatch(/Bearer /i);
  });
});
