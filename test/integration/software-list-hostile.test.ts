import { describe, expect, it } from 'vitest';
import type { SoftwareDto } from '../../src/defender/types.js';
import { type SoftwareFilter, SoftwareListPageDocument } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';

/**
 * OData-hostile filter values: each must reach Defender as one quoted literal (quotes doubled), so it
 * can only ever be compared, never parsed as filter syntax or as another query parameter.
 */
interface Case {
  name: string;
  filter: SoftwareFilter;
  /** The `$filter` Defender must receive, decoded. */
  odata: string;
  /** The rows the filter means, as a predicate over the dataset. */
  means: (s: SoftwareDto) => boolean;
}

const none = () => false;
const CASES: Case[] = [
  {
    name: "a quote: o'brien",
    filter: { name: { equals: "o'brien" } },
    odata: "name eq 'o''brien'",
    means: none,
  },
  {
    name: 'a closing quote plus or',
    filter: { name: { equals: "x' or name eq 'y" } },
    odata: "name eq 'x'' or name eq ''y'",
    means: none,
  },
  {
    // Unescaped, this would be `name eq 'x' or vendor ne 'zzz'` and return every row.
    name: 'an injection that would match everything',
    filter: { name: { equals: "x' or vendor ne 'zzz" } },
    odata: "name eq 'x'' or vendor ne ''zzz'",
    means: none,
  },
  {
    name: 'parentheses and a tautology',
    filter: { name: { equals: "') or (1 eq 1" } },
    odata: "name eq ''') or (1 eq 1'",
    means: none,
  },
  {
    name: 'an id with a trailing or',
    filter: { id: { equals: "microsoft-_-edge' or id ne '" } },
    odata: "id eq 'microsoft-_-edge'' or id ne '''",
    means: none,
  },
  {
    name: 'a percent-encoded quote stays literal',
    filter: { name: { equals: '%27' } },
    odata: "name eq '%27'",
    means: none,
  },
  {
    name: 'URL syntax stays inside the value',
    filter: { name: { equals: 'edge&$top=1#x+y' } },
    odata: "name eq 'edge&$top=1#x+y'",
    means: none,
  },
  {
    name: 'unicode',
    filter: { vendor: { startsWith: 'mícrösoft ✓ 😀' } },
    odata: "startswith(vendor,'mícrösoft ✓ 😀')",
    means: none,
  },
  {
    name: 'a real name with a quote matches exactly that row',
    filter: { name: { equals: "don't_sleep" } },
    odata: "name eq 'don''t_sleep'",
    means: (s) => s.name === "don't_sleep",
  },
  {
    name: 'a quote in startsWith',
    filter: { name: { startsWith: "don'" } },
    odata: "startswith(name,'don''')",
    means: (s) => s.name.startsWith("don'"),
  },
  {
    // Unescaped: `… and name ne 'x' or vendor eq 'google'` would add every google row.
    name: 'a hostile notEquals keeps the and',
    filter: { vendor: { equals: 'apple' }, name: { notEquals: "x' or vendor eq 'google" } },
    odata: "name ne 'x'' or vendor eq ''google' and vendor eq 'apple'",
    means: (s) => s.vendor === 'apple',
  },
];

describe('softwareList filters with OData-hostile values', () => {
  it.each(CASES)('$name', async ({ filter, odata, means }) => {
    const { gql, emulator, calls } = createTestApp();
    const result = await gql(SoftwareListPageDocument, { first: 100, filter });
    expect(result.errors).toBeUndefined();
    const expected = emulator.dataset.software.filter(means).map((s) => s.id);
    expect(result.data?.softwareList.nodes.map((n) => n.id)).toEqual(expected);
    const [call, ...more] = calls('software.list');
    expect(more).toEqual([]);
    expect(emulator.log).toHaveLength(1);
    expect(call?.status).toBe(200);
    expect([...new URLSearchParams(call?.search)]).toEqual([
      ['$filter', odata],
      ['$top', '101'],
    ]);
  });

  it('sends a quote as %27 after doubling and a literal % as %25', async () => {
    const { gql, emulator } = createTestApp();
    await gql(SoftwareListPageDocument, { first: 1, filter: { name: { equals: "%27'" } } });
    expect(emulator.log.map((e) => e.search)).toEqual(['?%24filter=name+eq+%27%2527%27%27%27&%24top=2']);
  });
});
