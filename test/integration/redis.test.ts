import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { createEmulator, DEMO_APP_ID, DEMO_TENANT_ID, type Emulator } from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/runtime.js';
import { memoryLogger } from '../helpers/app.js';
import { startScript } from '../helpers/process.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { createRuntimeApp } from '../helpers/runtime-app.js';

/**
 * Two app instances (two runtimes, two budgets, two Redis connections) sharing one real redis-server
 * and one emulator, whose log counts every upstream call of both. Real time: Redis TTLs cannot be
 * faked, so deadlines are short and the assertions are counts, not durations.
 */
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

type Instance = Awaited<ReturnType<typeof createRuntimeApp>>;
let instances: Instance[] = [];
let emulator: Emulator;

async function twoInstances(env: Record<string, string>): Promise<[Instance, Instance]> {
  const shared = { ...env, REDIS_URL: redis.url };
  const a = await createRuntimeApp({ emulator, env: shared });
  const b = await createRuntimeApp({ emulator, env: shared });
  instances = [a, b];
  return [a, b];
}

beforeEach(async () => {
  expect(await redis.command('FLUSHALL')).toBe('+OK');
  emulator = createEmulator();
});
afterEach(async () => {
  await Promise.all(instances.map((i) => i.close()));
  instances = [];
});

type Item = { id: string; name: string } | null;
const BY_IDS = 'query ($ids: [ID!]!) { softwareByIds(ids: $ids) { id name } }';

/** Largest number of log entries within any `windowMs` span. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let best = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const start = sorted[i] ?? 0;
    best = Math.max(best, sorted.filter((t) => t >= start && t < start + windowMs).length);
  }
  return best;
}

describe('shared budget through Redis', () => {
  it('quota 10/min: 30 ids from 3 concurrent clients over 2 instances make exactly 10 upstream calls', async () => {
    const [a, b] = await twoInstances({
      DEFENDER_RATE_LIMIT_PER_MINUTE: '10',
      DEFENDER_QUEUE_TIMEOUT_MS: '1500',
    });
    const ids = emulator.dataset.software.slice(0, 30).map((s) => s.id);
    const clients = [
      a.gql<{ softwareByIds: Item[] }>(BY_IDS, { ids: ids.slice(0, 10) }),
      b.gql<{ softwareByIds: Item[] }>(BY_IDS, { ids: ids.slice(10, 20) }),
      a.gql<{ softwareByIds: Item[] }>(BY_IDS, { ids: ids.slice(20, 30) }),
    ];
    const answers = await Promise.all(clients);

    expect(emulator.log).toHaveLength(10);
    expect(emulator.log.every((e) => e.status === 200 && e.route === 'software.get')).toBe(true);
    expect(
      busiestWindow(
        emulator.log.map((e) => e.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(10);
    expect(new Set(emulator.log.map((e) => e.id)).size).toBe(10);

    // Every item is data or a typed error at its own path, never both, never neither.
    let data = 0;
    let refused = 0;
    answers.forEach((answer, client) => {
      expect(answer.status).toBe(200);
      const items = answer.body.data?.softwareByIds ?? [];
      expect(items).toHaveLength(10);
      items.forEach((item, index) => {
        const errors = (answer.body.errors ?? []).filter((e) => e.path?.[1] === index);
        if (item) {
          expect(item.id).toBe(ids[client * 10 + index]);
          expect(errors).toEqual([]);
          data += 1;
        } else {
          expect(errors.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_RATE_LIMITED']);
          const after = errors[0]?.extensions?.retryAfterSeconds as number;
          expect(after).toBeGreaterThanOrEqual(55);
          expect(after).toBeLessThanOrEqual(60);
          refused += 1;
        }
      });
    });
    expect([data, refused]).toEqual([10, 20]);
    // Both instances took from the one Redis window: together they report nothing left.
    for (const instance of [a, b])
      expect(await instance.metrics()).toMatch(/tvm_upstream_budget_remaining\{window="minute"\} 0/);
  });

  it('a 429 seen by one instance pauses both: the other makes no call until Retry-After ends', async () => {
    const [a, b] = await twoInstances({ DEFENDER_QUEUE_TIMEOUT_MS: '1000' });
    emulator.faults.add({ times: 1, fault: { kind: 'status', status: 429, retryAfter: 5 } });
    const first = await a.gql(BY_IDS, { ids: ['microsoft-_-edge'] });
    expect(first.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    expect(emulator.log.map((e) => e.status)).toEqual([429]);
    const key = `tvm:pause:${DEMO_TENANT_ID}|${DEMO_APP_ID}|api.security.microsoft.com`;
    const ttl = Number((await redis.command(`PTTL ${key}`)).slice(1));
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(5000);

    const other = await b.gql(BY_IDS, { ids: ['google-_-chrome', 'microsoft-_-office'] });
    expect(emulator.log).toHaveLength(1);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual([
      'UPSTREAM_RATE_LIMITED',
      'UPSTREAM_RATE_LIMITED',
    ]);
    const after = Number(other.headers.get('retry-after'));
    expect(after).toBeGreaterThanOrEqual(4);
    expect(after).toBeLessThanOrEqual(5);
  });
});

describe('Redis unreachable', () => {
  it('answers from per-replica fallbacks at once instead of hanging or failing', async () => {
    const parsed = parseConfig({ REDIS_URL: 'redis://127.0.0.1:1', DEFENDER_RATE_LIMIT_PER_MINUTE: '1' });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const logger = memoryLogger();
    const runtime = createRuntime(parsed.config, { logger, emulator });
    try {
      expect(await runtime.ready(300)).toBe(false);
      const app = createApp({ client: runtime.client, logger, queueTimeoutMs: 1000 });
      const response = await app.fetch('http://app/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: BY_IDS, variables: { ids: ['microsoft-_-edge', 'google-_-chrome'] } }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      // The in-memory insurance quota (1/min) still holds: one call, one typed refusal.
      expect(emulator.log).toHaveLength(1);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_RATE_LIMITED']);
      expect(logger.lines.join('\n')).toContain('Redis connection failed');
    } finally {
      await runtime.close();
    }
  });
});

describe('npm start with REDIS_URL', () => {
  const clients = async () =>
    Number(/connected_clients:(\d+)/.exec(await redis.command('INFO clients'))?.[1]);

  it('connects before listening, says so, and closes the connection on SIGTERM', async () => {
    const before = await clients();
    const server = startScript('src/main.ts', { PORT: '0', REDIS_URL: redis.url });
    try {
      await server.waitFor(/GraphQL and GraphiQL at/);
      expect(server.output()).toContain(`shared through Redis at redis://127.0.0.1:${redis.port}`);
      expect(await clients()).toBe(before + 1);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(await clients()).toBe(before);
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
