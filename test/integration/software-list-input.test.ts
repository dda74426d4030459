import { describe, expect, it } from 'vitest';
import { encodeCursor, filterFingerprint } from '../../src/schema/cursor.js';
import { MAX_FILTER_VALUE_LENGTH, MAX_FIRST } from '../../src/schema/types/software-list.js';
import { SoftwareListPageDocument, type SoftwareListPageQueryVariables } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';

const json64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const noFilter = filterFingerprint(undefined);
const valid = encodeCursor('software', { skip: 3, filter: noFilter });

const INVALID: [string, SoftwareListPageQueryVariables, RegExp][] = [
  ['negative first', { first: -1 }, /"first" must not be negative/],
  [`first above ${MAX_FIRST}`, { first: MAX_FIRST + 1 }, /"first" must be at most 1000, got 1001/],
  ['an empty cursor', { after: '' }, /Invalid cursor/],
  ['a cursor with foreign characters', { after: `${valid}!` }, /Invalid cursor/],
  ['a cursor with stray base64 bits', { after: `${valid}A` }, /Invalid cursor/],
  ['a cursor that is not JSON', { after: Buffer.from('skip=3').toString('base64url') }, /Invalid cursor/],
  ['a JSON array cursor', { after: json64([1, 3]) }, /Invalid cursor/],
  ['another cursor version', { after: json64({ v: 2, k: 'software', skip: 3, f: noFilter }) }, /version/],
  ['a cursor of another list', { after: json64({ v: 1, k: 'machine', skip: 3, f: noFilter }) }, /this list/],
  ['a negative skip', { after: json64({ v: 1, k: 'software', skip: -1, f: noFilter }) }, /Invalid cursor/],
  ['a fractional skip', { after: json64({ v: 1, k: 'software', skip: 1.5, f: noFilter }) }, /Invalid cursor/],
  ['a string skip', { after: json64({ v: 1, k: 'software', skip: '3', f: noFilter }) }, /Invalid cursor/],
  ['a cursor without filter', { after: json64({ v: 1, k: 'software', skip: 3 }) }, /Invalid cursor/],
  ['a cursor longer than 256', { after: 'A'.repeat(300) }, /Invalid cursor/],
  [
    'a cursor issued for another filter',
    { after: valid, filter: { vendor: { equals: 'apple' } } },
    /issued for a different filter/,
  ],
  [
    `a filter value over ${MAX_FILTER_VALUE_LENGTH} characters`,
    { filter: { name: { startsWith: 'a'.repeat(MAX_FILTER_VALUE_LENGTH + 1) } } },
    /filter\.name\.startsWith is longer than 256 characters/,
  ],
  [
    'a filter value with a control character',
    { filter: { id: { notEquals: 'edge\nx' } } },
    /filter\.id\.notEquals contains control characters/,
  ],
];

describe('softwareList input validation', () => {
  it.each(INVALID)('rejects %s with BAD_USER_INPUT and no upstream call', async (_, variables, message) => {
    const { gql, emulator } = createTestApp();
    const result = await gql(SoftwareListPageDocument, variables);
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.path).toEqual(['softwareList']);
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(emulator.log).toHaveLength(0);
  });

  it('accepts a filter value of exactly the maximum length', async () => {
    const { gql, emulator } = createTestApp();
    const value = 'a'.repeat(MAX_FILTER_VALUE_LENGTH);
    const result = await gql(SoftwareListPageDocument, { filter: { name: { equals: value } } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.softwareList.nodes).toEqual([]);
    expect(emulator.log).toHaveLength(1);
  });

  it('rejects a real cursor reused with a different filter after exactly one call', async () => {
    const { gql, emulator } = createTestApp();
    const filter = { vendor: { equals: 'microsoft' } };
    const first = await gql(SoftwareListPageDocument, { first: 2, filter });
    const after = first.data?.softwareList.pageInfo.endCursor ?? '';
    expect(after).not.toBe('');
    const reused = await gql(SoftwareListPageDocument, { first: 2, after, filter: { name: filter.vendor } });
    expect(reused.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const sameMeaning = await gql(SoftwareListPageDocument, { first: 2, after, filter });
    expect(sameMeaning.errors).toBeUndefined();
    expect(emulator.log.map((e) => e.route)).toEqual(['software.list', 'software.list']);
  });

  it('treats an empty filter like no filter: cursors carry over, no $filter is sent', async () => {
    const { gql, emulator } = createTestApp();
    const head = await gql(SoftwareListPageDocument, { first: 2, filter: { name: {} } });
    const after = head.data?.softwareList.pageInfo.endCursor ?? '';
    const next = await gql(SoftwareListPageDocument, { first: 2, after });
    expect(next.errors).toBeUndefined();
    expect(next.data?.softwareList.nodes.map((n) => n.id)).toEqual(
      emulator.dataset.software.slice(2, 4).map((s) => s.id),
    );
    expect(emulator.log.map((e) => e.search)).toEqual(['?%24top=3', '?%24top=3&%24skip=2']);
  });
});

describe('softwareList upstream failures', () => {
  it('maps a 400 ODataError to BAD_USER_INPUT without leaking the upstream message', async () => {
    const { gql, emulator, logger } = createTestApp({
      // An upstream that rejects the request as Defender would reject a $top over its limit.
      wrapFetch: (inner) => (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        url.searchParams.set('$top', '10001');
        return inner(url, init);
      },
    });
    const result = await gql(SoftwareListPageDocument, { first: 5 });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'Defender rejected the request as invalid',
        path: ['softwareList'],
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          upstreamCode: 'ODataError',
          upstreamStatus: 400,
        }),
      }),
    ]);
    expect(emulator.log.map((e) => [e.route, e.status])).toEqual([['software.list', 400]]);
    const leaked = /10001|query option|\$top/;
    expect(JSON.stringify(result)).not.toMatch(leaked);
    expect(logger.lines.join('\n')).not.toMatch(leaked);
  });
});
