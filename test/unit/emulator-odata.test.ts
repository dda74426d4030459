import { describe, expect, it } from 'vitest';
import type { SoftwareDto } from '../../src/defender/types.js';
import {
  createEmulator,
  demoTokenClaims,
  type Emulator,
  mintUnsignedToken,
} from '../../src/emulator/index.js';

const HOST = 'https://api.security.microsoft.com';

interface ListBody {
  '@odata.context'?: string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: SoftwareDto[];
  error: { code: string; message: string };
}

async function list(emulator: Emulator, query: string): Promise<{ status: number; body: ListBody }> {
  return fetchUrl(emulator, `${HOST}/api/Software${query}`);
}

async function fetchUrl(emulator: Emulator, url: string): Promise<{ status: number; body: ListBody }> {
  const headers = { authorization: `Bearer ${mintUnsignedToken(demoTokenClaims())}` };
  const response = await emulator.fetch(new Request(url, { headers }));
  return { status: response.status, body: (await response.json()) as ListBody };
}

const filter = (expression: string): string => `?$filter=${encodeURIComponent(expression)}`;
const ids = (body: ListBody): string[] => body.value.map((s) => s.id);

const emulator = createEmulator();
const all = emulator.dataset.software;

describe('GET /api/Software $filter', () => {
  it.each([
    ["id eq 'microsoft-_-edge'", ['microsoft-_-edge']],
    ["id eq 'google-_-chrome' or id eq 'mozilla-_-firefox'", ['google-_-chrome', 'mozilla-_-firefox']],
    ["id eq 'google-_-chrome' or id eq 'mozilla-_-firefox' and vendor eq 'google'", ['google-_-chrome']],
    ["(id eq 'google-_-chrome' or id eq 'mozilla-_-firefox') and vendor eq 'google'", ['google-_-chrome']],
    ["vendor eq '7-zip'", ['7-zip-_-7-zip']],
    ["name eq 'EDGE' and VENDOR EQ 'Microsoft'", ['microsoft-_-edge']],
    ["name eq 'don''t_sleep'", ["softwareok-_-don't_sleep"]],
    ["id eq 'nope-_-nothing'", []],
  ])('%s', async (expression, expected) => {
    const { status, body } = await list(emulator, filter(expression));
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected);
  });

  it('keeps dataset order and matches the literal case-insensitively with startswith', async () => {
    const { body } = await list(emulator, filter("vendor eq 'microsoft' and startswith(name,'WINDOWS_')"));
    const expected = all
      .filter((s) => s.vendor === 'microsoft' && s.name.startsWith('windows_'))
      .map((s) => s.id);
    expect(ids(body)).toEqual(expected);
    expect(ids(body)).toEqual(expect.arrayContaining(['microsoft-_-windows_10', 'microsoft-_-windows_11']));
  });

  it('supports ne', async () => {
    const { body } = await list(emulator, filter("vendor ne 'microsoft'"));
    expect(body.value.length).toBe(all.filter((s) => s.vendor !== 'microsoft').length);
    expect(body.value.some((s) => s.vendor === 'microsoft')).toBe(false);
    expect(body.value.length).toBeGreaterThan(0);
  });

  it('accepts + as the separator, as URLs built by hand often use it', async () => {
    const { body } = await list(emulator, "?$filter=id+eq+'zoom-_-zoom'");
    expect(ids(body)).toEqual(['zoom-_-zoom']);
  });

  it.each([
    ['weaknesses eq 1', /property 'weaknesses' cannot be filtered/],
    ["exposedMachines eq '3'", /property 'exposedMachines' cannot be filtered/],
    ["id in ('a','b')", /'in' operator is not supported/],
    ["contains(name,'edge')", /function 'contains' is not supported/],
    ["name gt 'a'", /operator 'gt' is not supported/],
    ["not startswith(name,'a')", /operator 'not' is not supported/],
    ["name eq 'edge' and", /expected a property name but found end of expression/],
    ["name eq 'edge", /unterminated string literal/],
    ["(name eq 'edge'", /expected '\)'/],
    ['name eq edge', /expected a quoted string literal/],
    ["name eq 'a' 'b'", /unexpected string literal 'b' at position 12/],
    ['', /the expression is empty/],
  ])('rejects %j with 400 ODataError', async (expression, message) => {
    const { status, body } = await list(emulator, filter(expression));
    expect(status).toBe(400);
    expect(body.error.code).toBe('ODataError');
    expect(body.error.message).toMatch(message);
  });
});

describe('GET /api/Software $top, $skip and other options', () => {
  it.each([
    ['0', 0],
    ['3', 3],
    ['10000', all.length],
  ])('$top=%s returns that many rows and no nextLink', async (top, expected) => {
    const { status, body } = await list(emulator, `?$top=${top}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(all.slice(0, expected).map((s) => s.id));
    expect(body['@odata.nextLink']).toBeUndefined();
  });

  it.each(['10001', '-1', 'abc', '1.5', ''])('rejects $top=%j with 400 ODataError', async (top) => {
    const { status, body } = await list(emulator, `?$top=${top}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('ODataError');
    expect(body.error.message).toContain('$top');
  });

  it('skips rows in dataset order and combines with $top', async () => {
    const { body } = await list(emulator, '?$skip=5&$top=4');
    expect(ids(body)).toEqual(all.slice(5, 9).map((s) => s.id));
    const beyond = await list(emulator, `?$skip=${all.length}`);
    expect(beyond.body.value).toEqual([]);
  });

  it.each(['-1', 'x'])('rejects $skip=%j', async (skip) => {
    const { status, body } = await list(emulator, `?$skip=${skip}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('ODataError');
  });

  it.each(['$orderby=id', '$expand=x', '$search=edge', '$top=1&$top=2'])(
    'rejects %s with 400 ODataError',
    async (q) => {
      const { status, body } = await list(emulator, `?${q}`);
      expect(status).toBe(400);
      expect(body.error.code).toBe('ODataError');
    },
  );

  it('ignores $select and parameters that are not OData options', async () => {
    const { status, body } = await list(emulator, '?$select=id&api-version=1&$top=1');
    expect(status).toBe(200);
    expect(body.value).toEqual([all[0]]);
  });

  it('adds @odata.count for $count=true', async () => {
    const { body } = await list(emulator, `${filter("vendor eq 'microsoft'")}&$count=true&$top=2`);
    expect(body['@odata.count']).toBe(all.filter((s) => s.vendor === 'microsoft').length);
    expect(body.value).toHaveLength(2);
  });
});

describe('GET /api/Software paging', () => {
  it('returns the whole inventory in one page with the default page size', async () => {
    const { body } = await list(emulator, '');
    expect(body['@odata.context']).toBe(`${HOST}/api/$metadata#Software`);
    expect(body.value).toHaveLength(all.length);
    expect(body['@odata.nextLink']).toBeUndefined();
  });

  it('walks every page through @odata.nextLink without gaps or duplicates', async () => {
    const paged = createEmulator({ pageSize: 37 });
    const seen: string[] = [];
    let url: string | undefined = `${HOST}/api/Software`;
    let pages = 0;
    while (url) {
      const { status, body } = await fetchUrl(paged, url);
      expect(status).toBe(200);
      expect(body.value.length).toBe(Math.min(37, all.length - seen.length));
      seen.push(...ids(body));
      url = body['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(Math.ceil(all.length / 37));
    expect(seen).toEqual(all.map((s) => s.id));
    expect(new Set(seen).size).toBe(all.length);
  });

  it('keeps $filter in nextLink and replaces $skip', async () => {
    const paged = createEmulator({ pageSize: 7 });
    const expression = "vendor eq 'microsoft'";
    const expected = all.filter((s) => s.vendor === 'microsoft').map((s) => s.id);
    const first = await list(paged, `${filter(expression)}&$skip=2`);
    const link = first.body['@odata.nextLink'];
    // The URL parser percent-encodes the quotes; the link keeps the request's own encoding.
    expect(link).toBe(new URL(`${HOST}/api/Software${filter(expression)}&$skip=9`).href);
    const seen = ids(first.body);
    let url = link;
    while (url) {
      const { body } = await fetchUrl(paged, url);
      seen.push(...ids(body));
      url = body['@odata.nextLink'];
    }
    expect(seen).toEqual(expected.slice(2));
  });

  it('returns min($top, remaining) and no nextLink when $top is given, even above the page size', async () => {
    const paged = createEmulator({ pageSize: 7 });
    const { body } = await list(paged, '?$top=20');
    expect(ids(body)).toEqual(all.slice(0, 20).map((s) => s.id));
    expect(body['@odata.nextLink']).toBeUndefined();
    const tail = await list(paged, `?$top=20&$skip=${all.length - 3}`);
    expect(tail.body.value).toHaveLength(3);
  });
});
