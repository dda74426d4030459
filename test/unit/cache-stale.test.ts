import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { staleExtensions, stalePlugin } from '../../src/server/stale.js';
import { currentScope, requestScopePlugin } from '../../src/upstream/request-scope.js';

const T0 = Date.UTC(2026, 10, 27, 12);

/** A resolver that records a stale serve the way the cache layer does. */
const schema = createSchema({
  typeDefs: 'type Query { fresh: Int, stale(at: Float!, key: String!): Int }',
  resolvers: {
    Query: {
      fresh: () => 1,
      stale: async (_: unknown, args: { at: number; key: string }) => {
        await Promise.resolve(); // the scope must survive async hops, as in DataLoader batches
        const scope = currentScope();
        if (!scope) throw new Error('no request scope');
        scope.stale ??= new Set();
        scope.stale.add(args.key);
        scope.oldestStaleFetchedAt = Math.min(scope.oldestStaleFetchedAt ?? args.at, args.at);
        return 2;
      },
    },
  },
});

async function run(plugins: Plugin[], query: string) {
  const yoga = createYoga({ schema, plugins });
  const response = await yoga.fetch('http://x/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; extensions?: Record<string, unknown> };
}

describe('stalePlugin', () => {
  it('adds nothing to a fresh answer', async () => {
    expect(await run([stalePlugin()], '{ fresh }')).toEqual({ data: { fresh: 1 } });
  });

  it.each([
    ['with the request-scope plugin', [requestScopePlugin(), stalePlugin()]],
    ['on its own (it opens a scope)', [stalePlugin()]],
  ])('reports stale serves %s: count of distinct resources and the oldest fetch time', async (_, plugins) => {
    const query = `{ a: stale(at: ${T0 + 5000}, key: "k1") b: stale(at: ${T0}, key: "k2") c: stale(at: ${T0}, key: "k2") }`;
    expect(await run(plugins, query)).toEqual({
      data: { a: 2, b: 2, c: 2 },
      extensions: { stale: true, staleResources: 2, oldestFetchedAt: new Date(T0).toISOString() },
    });
  });

  it('keeps requests apart', async () => {
    const plugins = [requestScopePlugin(), stalePlugin()];
    const [stale, fresh] = await Promise.all([
      run(plugins, `{ stale(at: ${T0}, key: "k") }`),
      run(plugins, '{ fresh }'),
    ]);
    expect(stale.extensions).toMatchObject({ stale: true });
    expect(fresh.extensions).toBeUndefined();
  });
});

describe('staleExtensions', () => {
  it('is undefined without stale serves', () => {
    expect(staleExtensions(undefined)).toBeUndefined();
    expect(staleExtensions({ stale: new Set() })).toBeUndefined();
    expect(staleExtensions({ stale: new Set(['a']) })).toEqual({ stale: true, staleResources: 1 });
  });
});
