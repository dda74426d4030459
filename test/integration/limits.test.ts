import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createStaticTokenProvider } from '../../src/auth/token-provider.js';
import { createDefenderClient } from '../../src/defender/client.js';
import { createDefenderHttp } from '../../src/defender/http.js';
import { createEmulator, demoTokenClaims, mintUnsignedToken } from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';
import type { OperationLimits } from '../../src/server/planner-defaults.js';
import { type GqlResult, memoryLogger } from '../helpers/app.js';

const EDGE = 'microsoft-_-edge';

/** The real app over a fresh emulator with the given limits (defaults otherwise). */
function limitedApp(limits: Partial<OperationLimits> = {}) {
  const emulator = createEmulator();
  const logger = memoryLogger();
  const tokens = createStaticTokenProvider(() => mintUnsignedToken(demoTokenClaims()), 'test token');
  const fetch: typeof globalThis.fetch = (input, init) => emulator.fetch(new Request(input, init));
  const http = createDefenderHttp({ tokens, fetch, logger, timeoutMs: 5_000 });
  const app = createApp({
    client: createDefenderClient(http, 'https://api.security.microsoft.com/api'),
    logger,
    limits,
  });
  async function post(query: string, variables?: unknown, accept = 'application/json') {
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GqlResult<Record<string, unknown>> & {
      extensions?: Record<string, unknown>;
    };
    return { status: response.status, body };
  }
  return { emulator, post };
}

/** `software { machines { software { … } } }` nested until `depth` levels of fields. */
function nested(depth: number): string {
  let inner = 'id';
  for (let level = depth - 1; level > 1; level -= 1)
    inner = `${level % 2 === 0 ? 'machines' : 'software'} { ${inner} }`;
  return `{ software(id: "${EDGE}") { ${inner} } }`;
}

describe('depth, alias, directive and token limits (graphql-armor)', () => {
  it('refuses nesting deeper than GRAPHQL_MAX_DEPTH with a clear message, before any call', async () => {
    const { post, emulator } = limitedApp({ maxDepth: 3 });
    const ok = await post(`{ software(id: "${EDGE}") { missingKbs { id } } }`);
    expect(ok.body.errors).toBeUndefined();
    emulator.clearLog();
    // Fragments do not add a level: this is still depth 3.
    const viaFragment = await post(
      `{ software(id: "${EDGE}") { ...K } } fragment K on Software { ... on Software { missingKbs { id } } }`,
    );
    expect(viaFragment.body.errors).toBeUndefined();
    emulator.clearLog();
    const deep = await post(`{ software(id: "${EDGE}") { machines { software { id } } } }`);
    expect(deep.body).toEqual({
      errors: [
        {
          message: 'Fields are nested 4 levels deep; at most 3 are allowed.',
          extensions: { code: 'MAX_DEPTH_EXCEEDED', limit: 3, found: 4 },
        },
      ],
    });
    expect(emulator.log).toHaveLength(0);
  });

  it('uses depth 10 by default', async () => {
    const { post } = limitedApp();
    const at = await post(nested(10));
    expect(at.body.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
    const above = await post(nested(11));
    expect(above.body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'MAX_DEPTH_EXCEEDED', limit: 10, found: 11 },
    ]);
  });

  it('refuses more than GRAPHQL_MAX_ALIASES aliases (30 by default); __typename aliases are free', async () => {
    const { post, emulator } = limitedApp();
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `s${i}: _service { sdl }`).join(' ');
    const typenames = Array.from({ length: 40 }, (_, i) => `t${i}: __typename`).join(' ');
    const ok = await post(`{ ${aliases(30)} ${typenames} }`);
    expect(ok.body.errors).toBeUndefined();
    const above = await post(`{ ${aliases(31)} }`);
    expect(above.body.errors).toEqual([
      {
        message:
          'The operation uses 31 aliases; at most 30 are allowed. Use softwareByIds(ids: […]) for many ids.',
        extensions: { code: 'MAX_ALIASES_EXCEEDED', limit: 30, found: 31 },
      },
    ]);
    expect(emulator.log).toHaveLength(0);
  });

  it('refuses documents above GRAPHQL_MAX_TOKENS; ids passed as variables do not count', async () => {
    const { post, emulator } = limitedApp({ maxTokens: 500 });
    const ids = Array.from({ length: 490 }, () => EDGE);
    // 490 ids + 11 other tokens = 501.
    const inline = await post(`{ softwareByIds(ids: [${ids.map((id) => `"${id}"`).join(',')}]) { id } }`);
    expect(inline.body.errors).toEqual([
      {
        message: 'The document has more than 500 tokens; pass long id lists as variables instead of inline.',
        extensions: { code: 'MAX_TOKENS_EXCEEDED', limit: 500 },
      },
    ]);
    expect(emulator.log).toHaveLength(0);
    const asVariable = await post('query ($ids: [ID!]!) { softwareByIds(ids: $ids) { id } }', { ids });
    expect(asVariable.body.errors).toBeUndefined();
    expect(asVariable.body.extensions?.cost).toEqual({ estimatedCalls: 1, limit: 100 });
    expect(emulator.log).toHaveLength(1);
  });

  it('refuses more than 50 directives', async () => {
    const { post } = limitedApp();
    const fields = (n: number) => Array.from({ length: n }, () => '__typename @include(if: true)').join(' ');
    expect((await post(`{ ${fields(50)} }`)).body.errors).toBeUndefined();
    expect((await post(`{ ${fields(51)} }`)).body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'MAX_DIRECTIVES_EXCEEDED', limit: 50, found: 51 },
    ]);
  });

  it('answers limit errors with 400 to application/graphql-response+json, 200 to application/json', async () => {
    const { post } = limitedApp({ maxDepth: 3 });
    const deep = `{ software(id: "${EDGE}") { machines { software { id } } } }`;
    expect((await post(deep)).status).toBe(200);
    const strict = await post(deep, undefined, 'application/graphql-response+json');
    expect(strict.status).toBe(400);
    expect(strict.body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  });
});

describe('what the limits must not break', () => {
  it("runs GraphiQL's full introspection query with the defaults, at zero calls", async () => {
    const { post, emulator } = limitedApp();
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const { body } = await post(query);
    expect(body.errors).toBeUndefined();
    expect((body.data?.__schema as { types: unknown[] } | undefined)?.types.length).toBeGreaterThan(20);
    expect(body.extensions?.cost).toEqual({ estimatedCalls: 0, limit: 100 });
    expect(emulator.log).toHaveLength(0);
  });

  it('serves the federation gateway: _service and _entities queries as a gateway sends them', async () => {
    const { post, emulator } = limitedApp();
    const sdl = await post('query __ApolloGetServiceDefinition__ { _service { sdl } }');
    expect(sdl.body.errors).toBeUndefined();
    expect(sdl.body.data?._service).toMatchObject({ sdl: expect.stringContaining('type Software') });
    const entities = await post(
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Software { missingKbs { id name } } } }',
      { representations: [{ __typename: 'Software', id: EDGE }] },
    );
    expect(entities.body.errors).toBeUndefined();
    expect(entities.body.extensions?.cost).toEqual({ estimatedCalls: 1, limit: 100 });
    expect(emulator.log).toHaveLength(1);
  });
});
