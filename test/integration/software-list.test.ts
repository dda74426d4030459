import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SoftwareDto } from '../../src/defender/types.js';
import { MAX_LIST_CALLS } from '../../src/schema/list-window.js';
import {
  type SoftwareFilter,
  SoftwareListEntitiesDocument,
  SoftwareListPageDocument,
  type SoftwareListPageQuery,
} from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';

type TestApp = ReturnType<typeof createTestApp>;
type Connection = SoftwareListPageQuery['softwareList'];

/** `?$filter=…&$top=…` of a logged call as decoded pairs, so the assertion reads like the OData. */
const params = (search: string) => [...new URLSearchParams(search)];

async function page(t: TestApp, variables: { first?: number; after?: string; filter?: SoftwareFilter }) {
  const result = await t.gql(SoftwareListPageDocument, variables);
  expect(result.errors).toBeUndefined();
  const connection = result.data?.softwareList as Connection;
  // edges and nodes are two views of one page.
  expect(connection.nodes).toEqual(connection.edges.map((edge) => edge.node));
  return connection;
}

const ids = (connection: Connection) => connection.nodes.map((node) => node.id);
const where = (t: TestApp, test: (s: SoftwareDto) => boolean) =>
  t.emulator.dataset.software.filter(test).map((s) => s.id);

/** Strips `$top` from list calls: an upstream that ignores it and pages by its own page size. */
const ignoreTop: (inner: typeof fetch) => typeof fetch = (inner) => (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  url.searchParams.delete('$top');
  return inner(url, init);
};

describe('softwareList paging', () => {
  it('returns the first 50 rows by default with one $top=51 call', async () => {
    const t = createTestApp();
    const connection = await page(t, {});
    expect(ids(connection)).toEqual(t.emulator.dataset.software.slice(0, 50).map((s) => s.id));
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor);
    expect(connection.pageInfo.endCursor).toBe(connection.edges[49]?.cursor);
    expect(t.emulator.log.map((e) => [e.route, e.search, e.status])).toEqual([
      ['software.list', '?%24top=51', 200],
    ]);
  });

  it('serves every Software property from the list rows: no GET /Software/{id}', async () => {
    const t = createTestApp();
    const result = await t.gql(SoftwareListEntitiesDocument, { first: 20 });
    expect(result.errors).toBeUndefined();
    const expected = t.emulator.dataset.software.slice(0, 20).map((dto) => ({
      ...dto,
      installedMachines: dto.installedMachines ?? null,
      isNormalized: dto.isNormalized ?? null,
      category: dto.category ?? null,
    }));
    expect(result.data?.softwareList.nodes).toEqual(expected);
    expect(t.emulator.log.map((e) => e.route)).toEqual(['software.list']);
  });

  it('costs one getmissingkbs per listed id and still no software.get', async () => {
    const t = createTestApp();
    const result = await t.gql<{ softwareList: { nodes: { id: string; missingKbs: { id: string }[] }[] } }>(
      '{ softwareList(first: 3) { nodes { id name missingKbs { id } } } }',
    );
    expect(result.errors).toBeUndefined();
    const first3 = t.emulator.dataset.software.slice(0, 3).map((s) => s.id);
    expect(t.calls('software.list')).toHaveLength(1);
    expect(t.calls('software.getmissingkbs').map((c) => c.id)).toEqual(first3);
    expect(t.calls('software.get')).toHaveLength(0);
    expect(t.emulator.log).toHaveLength(4);
    for (const node of result.data?.softwareList.nodes ?? []) {
      const kbs = t.emulator.dataset.missingKbsBySoftwareId.get(node.id) ?? [];
      expect(node.missingKbs).toEqual(kbs.map((kb) => ({ id: kb.id })));
    }
  });

  it('answers a filter that matches nothing with an empty page after one call', async () => {
    const t = createTestApp();
    const connection = await page(t, { filter: { name: { equals: 'no_such_product' } } });
    expect(connection).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(t.emulator.log.map((e) => [e.route, params(e.search)])).toEqual([
      [
        'software.list',
        [
          ['$filter', "name eq 'no_such_product'"],
          ['$top', '51'],
        ],
      ],
    ]);
  });

  it('knows the exact page boundary: first = N is the last page, first = N-1 is not', async () => {
    const t = createTestApp();
    const apple = where(t, (s) => s.vendor === 'apple');
    expect(apple).toHaveLength(11);
    const filter = { vendor: { equals: 'apple' } };

    const whole = await page(t, { first: 11, filter });
    expect(ids(whole)).toEqual(apple);
    expect(whole.pageInfo.hasNextPage).toBe(false);

    const head = await page(t, { first: 10, filter });
    expect(ids(head)).toEqual(apple.slice(0, 10));
    expect(head.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const tail = await page(t, { first: 10, filter, after: head.pageInfo.endCursor ?? '' });
    expect(ids(tail)).toEqual(apple.slice(10));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const beyond = await page(t, { first: 10, filter, after: tail.pageInfo.endCursor ?? '' });
    expect(beyond.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
    expect(beyond.nodes).toEqual([]);

    const apples = ['$filter', "vendor eq 'apple'"];
    expect(t.calls('software.list').map((c) => params(c.search))).toEqual([
      [apples, ['$top', '12']],
      [apples, ['$top', '11']],
      [apples, ['$top', '11'], ['$skip', '10']],
      [apples, ['$top', '11'], ['$skip', '11']],
    ]);
    expect(t.emulator.log).toHaveLength(4);
  });

  it('walks a filtered list in small pages: the emulator rows in order, no duplicates, no gaps', async () => {
    const t = createTestApp();
    const filter = { vendor: { startsWith: 'micro' }, name: { notEquals: 'edge' } };
    const expected = where(t, (s) => s.vendor.startsWith('micro') && s.name !== 'edge');
    expect(expected.length).toBeGreaterThan(50);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const connection = await page(t, { first: 7, filter, ...(after ? { after } : {}) });
      pages++;
      seen.push(...ids(connection));
      expect(connection.pageInfo.hasPreviousPage).toBe(pages > 1);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(t.calls('software.list')).toHaveLength(pages);
    expect(t.emulator.log).toHaveLength(pages);
    expect(params(t.calls('software.list')[1]?.search ?? '')).toEqual([
      ['$filter', "name ne 'edge' and startswith(vendor,'micro')"],
      ['$top', '8'],
      ['$skip', '7'],
    ]);
  });

  it('combines id, name and vendor conditions with and, in a fixed order', async () => {
    const t = createTestApp();
    const connection = await page(t, {
      filter: {
        vendor: { equals: 'microsoft' },
        name: { startsWith: 'windows' },
        id: { notEquals: 'microsoft-_-windows_10' },
      },
    });
    const expected = where(
      t,
      (s) => s.vendor === 'microsoft' && s.name.startsWith('windows') && s.id !== 'microsoft-_-windows_10',
    );
    expect(expected).toHaveLength(10);
    expect(ids(connection)).toEqual(expected);
    expect(params(t.emulator.log[0]?.search ?? '')[0]).toEqual([
      '$filter',
      "id ne 'microsoft-_-windows_10' and startswith(name,'windows') and vendor eq 'microsoft'",
    ]);
    expect(t.emulator.log).toHaveLength(1);
  });

  it('first: 0 returns no edges but still says whether rows exist ($top=1)', async () => {
    const t = createTestApp();
    const connection = await page(t, { first: 0 });
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(t.emulator.log.map((e) => e.search)).toEqual(['?%24top=1']);
  });
});

describe('softwareList with an upstream that pages anyway (@odata.nextLink)', () => {
  it('follows nextLink until it has first + 1 rows, then continues from the cursor', async () => {
    const t = createTestApp({ emulator: { pageSize: 4 }, wrapFetch: ignoreTop });
    const microsoft = where(t, (s) => s.vendor === 'microsoft');
    const filter = { vendor: { equals: 'microsoft' } };
    const head = await page(t, { first: 10, filter });
    expect(ids(head)).toEqual(microsoft.slice(0, 10));
    expect(head.pageInfo.hasNextPage).toBe(true);
    const next = await page(t, { first: 10, filter, after: head.pageInfo.endCursor ?? '' });
    expect(ids(next)).toEqual(microsoft.slice(10, 20));

    const f = ['$filter', "vendor eq 'microsoft'"];
    expect(t.calls('software.list').map((c) => params(c.search))).toEqual([
      [f],
      [f, ['$skip', '4']],
      [f, ['$skip', '8']],
      [f, ['$skip', '10']],
      [f, ['$skip', '14']],
      [f, ['$skip', '18']],
    ]);
    expect(t.emulator.log).toHaveLength(6);
  });

  it('stops at the end of the data when the last page has no nextLink', async () => {
    const t = createTestApp({ emulator: { pageSize: 4 }, wrapFetch: ignoreTop });
    const connection = await page(t, { first: 20, filter: { vendor: { equals: 'apple' } } });
    expect(ids(connection)).toEqual(where(t, (s) => s.vendor === 'apple'));
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(t.calls('software.list')).toHaveLength(3);
    expect(t.emulator.log).toHaveLength(3);
  });

  it(`makes at most ${MAX_LIST_CALLS} calls per page and resumes exactly where it stopped`, async () => {
    const t = createTestApp({ emulator: { pageSize: 1 }, wrapFetch: ignoreTop });
    const all = t.emulator.dataset.software.map((s) => s.id);
    const head = await page(t, { first: 10 });
    expect(ids(head)).toEqual(all.slice(0, MAX_LIST_CALLS));
    expect(head.pageInfo.hasNextPage).toBe(true);
    expect(t.calls('software.list')).toHaveLength(MAX_LIST_CALLS);
    const next = await page(t, { first: 10, after: head.pageInfo.endCursor ?? '' });
    expect(ids(next)).toEqual(all.slice(MAX_LIST_CALLS, 2 * MAX_LIST_CALLS));
    expect(t.calls('software.list')).toHaveLength(2 * MAX_LIST_CALLS);
    expect(t.emulator.log).toHaveLength(2 * MAX_LIST_CALLS);
  });

  it('refuses a nextLink outside the API root without following it', async () => {
    const t = createTestApp({
      wrapFetch: (inner) => async (input, init) => {
        const response = await inner(input, init);
        const body = (await response.json()) as Record<string, unknown>;
        const evil = { ...body, '@odata.nextLink': 'https://evil.example/api/Software?$skip=1' };
        return new Response(JSON.stringify(evil), { headers: { 'content-type': 'application/json' } });
      },
    });
    // One matching row, fewer than first + 1: the layer would have to follow the link.
    const result = await t.gql(
      '{ softwareList(first: 3, filter: { name: { equals: "edge" } }) { nodes { id } } }',
    );
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['softwareList'], 'UPSTREAM_BAD_RESPONSE'],
    ]);
    expect(t.emulator.log).toHaveLength(1);
  });
});

describe('README paging example', () => {
  it('answers as the README says, one call per page', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const query = readme.match(
      /### Paging and filtering the software list[\s\S]*?```graphql\n([\s\S]*?)```/,
    )?.[1];
    expect(query).toBeDefined();
    const t = createTestApp();
    type Answer = { softwareList: Connection & { nodes: { id: string; exposedMachines: number }[] } };
    const head = await t.gql<Answer>(query ?? '');
    expect(head.data?.softwareList.nodes.map((n) => n.id)).toEqual([
      'microsoft-_-edge',
      'microsoft-_-edge_webview2',
    ]);
    expect(head.data?.softwareList.pageInfo.hasNextPage).toBe(true);
    const after = head.data?.softwareList.pageInfo.endCursor;
    const next = await t.gql<Answer>(query ?? '', { after });
    expect(next.data?.softwareList.nodes.map((n) => n.id)).toEqual(
      where(t, (s) => s.vendor === 'microsoft' && s.name.startsWith('edge')).slice(2, 4),
    );
    expect(t.emulator.log.map((e) => e.route)).toEqual(['software.list', 'software.list']);
  });
});
