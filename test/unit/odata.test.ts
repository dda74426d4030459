import { describe, expect, it } from 'vitest';
import type { ListSoftwareOptions, Page } from '../../src/defender/client.js';
import type { Fetched } from '../../src/defender/http.js';
import { buildFilter, odataString } from '../../src/defender/odata.js';
import type { SoftwareDto } from '../../src/defender/types.js';
import { decodeCursor, encodeCursor, filterFingerprint } from '../../src/schema/cursor.js';
import { MAX_LIST_CALLS, readListWindow } from '../../src/schema/list-window.js';

describe('odataString', () => {
  it.each([
    ['edge', "'edge'"],
    ["o'brien", "'o''brien'"],
    ["''", "''''''"],
    ["x' or name eq 'y", "'x'' or name eq ''y'"],
    ["') or (1 eq 1", "''') or (1 eq 1'"],
    ['%27', "'%27'"],
    ['ünï 😀', "'ünï 😀'"],
    ['', "''"],
  ])('quotes %j as %s', (value, literal) => {
    expect(odataString(value)).toBe(literal);
  });
});

describe('buildFilter', () => {
  it('emits id, name, vendor and eq, ne, startswith in a fixed order whatever the key order', () => {
    const a = buildFilter({
      vendor: { startsWith: 'micro', equals: 'microsoft' },
      name: { notEquals: 'edge' },
      id: { equals: 'x' },
    });
    const b = buildFilter({
      id: { equals: 'x' },
      name: { notEquals: 'edge' },
      vendor: { equals: 'microsoft', startsWith: 'micro' },
    });
    expect(a).toBe("id eq 'x' and name ne 'edge' and vendor eq 'microsoft' and startswith(vendor,'micro')");
    expect(b).toBe(a);
  });

  it('treats null like undefined and an all-empty filter as no filter', () => {
    expect(
      buildFilter({ name: { equals: null, notEquals: null, startsWith: null }, id: null }),
    ).toBeUndefined();
    expect(buildFilter({})).toBeUndefined();
    expect(buildFilter({ name: { equals: '' } })).toBe("name eq ''");
  });
});

describe('cursors', () => {
  const f = filterFingerprint("vendor eq 'apple'");

  it('round-trips and is base64url of a versioned JSON', () => {
    const cursor = encodeCursor('software', { skip: 42, filter: f });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString())).toEqual({
      v: 1,
      k: 'software',
      skip: 42,
      f,
    });
    expect(decodeCursor('software', cursor, f)).toBe(42);
  });

  it('fingerprints filters stably and distinctly', () => {
    expect(filterFingerprint("vendor eq 'apple'")).toBe(f);
    expect(filterFingerprint(undefined)).toBe(filterFingerprint(''));
    expect(filterFingerprint("vendor eq 'apple' ")).not.toBe(f);
  });

  it('rejects a cursor of another kind or filter with BAD_USER_INPUT', () => {
    const cursor = encodeCursor('software', { skip: 1, filter: f });
    expect(() => decodeCursor('machine', cursor, f)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => decodeCursor('software', cursor, filterFingerprint(undefined))).toThrow(
      /issued for a different filter/,
    );
  });
});

/** A fake list client: serves `rows` in pages of `pageSize`, emitting nextLinks like a paging server. */
function fakeClient(rows: SoftwareDto[], pageSize: number, options: { honourTop?: boolean } = {}) {
  const requests: string[] = [];
  const page = (skip: number, top: number | undefined): Fetched<Page<SoftwareDto>> => {
    // Like Defender: `$top` honoured means exactly that many rows and no nextLink (§5).
    const honoured = options.honourTop === true && top !== undefined;
    const take = honoured ? top : pageSize;
    const items = rows.slice(skip, skip + take);
    const more = !honoured && skip + take < rows.length;
    return {
      value: { items, ...(more ? { nextLink: `next:${skip + take}` } : {}) },
      fetchedAt: 1000 + requests.length,
      stale: requests.length % 2 === 1,
    };
  };
  return {
    requests,
    async listSoftware(options: ListSoftwareOptions) {
      requests.push(`list top=${options.top} skip=${options.skip}`);
      return page(options.skip ?? 0, options.top);
    },
    async listSoftwareNext(link: string) {
      requests.push(link);
      return page(Number(link.slice(5)), undefined);
    },
  };
}

const dto = (i: number): SoftwareDto => ({
  id: `v-_-p${i}`,
  name: `p${i}`,
  vendor: 'v',
  weaknesses: i,
  publicExploit: false,
  activeAlert: false,
  exposedMachines: 0,
  impactScore: 0,
});
const ROWS = Array.from({ length: 30 }, (_, i) => dto(i));

describe('readListWindow', () => {
  it('makes one call when the upstream honours $top', async () => {
    const client = fakeClient(ROWS, 10_000, { honourTop: true });
    const window = await readListWindow(client, { skip: 5, want: 11 });
    expect(window.rows.map((r) => r.value.id)).toEqual(ROWS.slice(5, 16).map((r) => r.id));
    expect(window.truncated).toBe(false);
    expect(client.requests).toEqual(['list top=11 skip=5']);
  });

  it('omits $skip at the start', async () => {
    const client = fakeClient(ROWS, 10_000, { honourTop: true });
    await readListWindow(client, { skip: 0, want: 3 });
    expect(client.requests).toEqual(['list top=3 skip=undefined']);
  });

  it('follows nextLink until it has want rows, drops the excess, keeps each page’s fetch metadata', async () => {
    const client = fakeClient(ROWS, 4);
    const window = await readListWindow(client, { skip: 0, want: 10 });
    expect(window.rows.map((r) => r.value.id)).toEqual(ROWS.slice(0, 10).map((r) => r.id));
    expect(window.rows.map((r) => [r.fetchedAt, r.stale])).toEqual([
      ...Array(4).fill([1001, true]),
      ...Array(4).fill([1002, false]),
      ...Array(2).fill([1003, true]),
    ]);
    expect(window.truncated).toBe(false);
    expect(client.requests).toEqual(['list top=10 skip=undefined', 'next:4', 'next:8']);
  });

  it('stops when the last page has no nextLink', async () => {
    const client = fakeClient(ROWS, 8);
    const window = await readListWindow(client, { skip: 20, want: 50 });
    expect(window.rows.map((r) => r.value.id)).toEqual(ROWS.slice(20).map((r) => r.id));
    expect(window.truncated).toBe(false);
    expect(client.requests).toEqual(['list top=50 skip=20', 'next:28']);
  });

  it(`gives up after ${MAX_LIST_CALLS} calls and says more rows exist`, async () => {
    const client = fakeClient(ROWS, 2);
    const window = await readListWindow(client, { skip: 0, want: 20 });
    expect(window.rows).toHaveLength(2 * MAX_LIST_CALLS);
    expect(window.truncated).toBe(true);
    expect(client.requests).toHaveLength(MAX_LIST_CALLS);
  });

  it('trims an upstream that ignores $top and returns too many rows', async () => {
    const client = fakeClient(ROWS, 25);
    const window = await readListWindow(client, { skip: 0, want: 3 });
    expect(window.rows).toHaveLength(3);
    expect(client.requests).toHaveLength(1);
  });
});
