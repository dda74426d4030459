import { DefenderError } from '../../defender/errors.js';
import {
  buildFilter,
  type FieldFilter,
  SOFTWARE_FILTER_PROPERTIES,
  type SoftwareFilterProperty,
} from '../../defender/odata.js';
import { builder } from '../builder.js';
import { decodeCursor, encodeCursor, filterFingerprint } from '../cursor.js';
import { readListWindow } from '../list-window.js';
import { upstreamCalls } from '../upstream.js';
import { Software, type SoftwareRef } from './software.js';

/** Page size when `first` is omitted. */
export const DEFAULT_FIRST = 50;
/** Largest `first`; one page is one upstream call, and Defender's own `$top` limit is 10,000. */
export const MAX_FIRST = 1000;
/** Longest filter value; Defender ids, names and vendors are far shorter, and URLs have limits. */
export const MAX_FILTER_VALUE_LENGTH = 256;

const CURSOR_KIND = 'software';

interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface EdgeShape {
  cursor: string;
  node: SoftwareRef;
}
interface ConnectionShape {
  edges: EdgeShape[];
  pageInfo: PageInfoShape;
}

// Shareable: other subgraphs of a supergraph commonly define the same Relay PageInfo.
const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Where a page of a connection sits in the whole list (Relay cursor connections).',
  shareable: true,
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', {
      description: 'Whether more items follow; pass `endCursor` as `after` to read them.',
    }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'Whether items precede this page, i.e. `after` pointed past the first item.',
    }),
    startCursor: t.exposeString('startCursor', {
      nullable: true,
      description: 'Cursor of the first edge; null when the page is empty.',
    }),
    endCursor: t.exposeString('endCursor', {
      nullable: true,
      description: 'Cursor of the last edge; null when the page is empty.',
    }),
  }),
});

const SoftwareEdge = builder.objectRef<EdgeShape>('SoftwareEdge').implement({
  description: 'One software in a page of `softwareList`, with its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      description: 'Opaque; pass it as `after` (with the same filter) to continue after this item.',
    }),
    node: t.expose('node', { type: Software, description: 'The software.' }),
  }),
});

const SoftwareConnection = builder.objectRef<ConnectionShape>('SoftwareConnection').implement({
  description: 'A page of the Defender software inventory (Relay cursor connection, forward paging).',
  fields: (t) => ({
    edges: t.expose('edges', { type: [SoftwareEdge], description: 'The items of this page with cursors.' }),
    nodes: t.field({
      type: [Software],
      description: 'The items of this page, without cursors.',
      resolve: (connection) => connection.edges.map((edge) => edge.node),
    }),
    pageInfo: t.expose('pageInfo', { type: PageInfo, description: 'Paging state.' }),
  }),
});

const StringFilter = builder.inputType('StringFilter', {
  description:
    'Conditions on one text property, all of which must hold. Values are sent to Defender as quoted ' +
    `OData literals (quotes escaped), compared as Defender compares them; at most ${MAX_FILTER_VALUE_LENGTH} characters.`,
  fields: (t) => ({
    equals: t.string({ description: 'The property equals this value (OData `eq`).' }),
    notEquals: t.string({ description: 'The property differs from this value (OData `ne`).' }),
    startsWith: t.string({ description: 'The property starts with this value (OData `startswith`).' }),
  }),
});

const SoftwareFilter = builder.inputType('SoftwareFilter', {
  description: 'Filter on the properties Defender can filter software on; all given conditions must hold.',
  fields: (t) => ({
    id: t.field({
      type: StringFilter,
      description: 'Condition on the software id, e.g. "microsoft-_-edge".',
    }),
    name: t.field({ type: StringFilter, description: 'Condition on the product name, e.g. "edge".' }),
    vendor: t.field({ type: StringFilter, description: 'Condition on the vendor, e.g. "microsoft".' }),
  }),
});

type FilterInput = Partial<Record<SoftwareFilterProperty, FieldFilter | null | undefined>>;

/** `first` as given, or BAD_USER_INPUT. */
function checkFirst(first: number | null | undefined): number {
  const value = first ?? DEFAULT_FIRST;
  if (value < 0) throw new DefenderError('BAD_USER_INPUT', '"first" must not be negative');
  if (value > MAX_FIRST) {
    throw new DefenderError('BAD_USER_INPUT', `"first" must be at most ${MAX_FIRST}, got ${value}`);
  }
  return value;
}

/** Rejects values no Defender id, name or vendor can have, before any call is made. */
function checkFilter(filter: FilterInput | null | undefined): FilterInput {
  for (const property of SOFTWARE_FILTER_PROPERTIES) {
    for (const [operator, value] of Object.entries(filter?.[property] ?? {})) {
      if (value == null) continue;
      const where = `filter.${property}.${operator}`;
      if (value.length > MAX_FILTER_VALUE_LENGTH) {
        throw new DefenderError(
          'BAD_USER_INPUT',
          `${where} is longer than ${MAX_FILTER_VALUE_LENGTH} characters`,
        );
      }
      // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
      if (/[\u0000-\u001f\u007f]/.test(value)) {
        throw new DefenderError('BAD_USER_INPUT', `${where} contains control characters`);
      }
    }
  }
  return filter ?? {};
}

builder.queryFields((t) => ({
  softwareList: t.field({
    type: SoftwareConnection,
    description:
      'The Defender software inventory, a page at a time (`GET /api/Software` with `$filter`, `$top`, ' +
      '`$skip`): one upstream call per page, and the listed software need no further call for their ' +
      'own properties (`name`, `vendor`, …).',
    args: {
      first: t.arg.int({
        description: `Items in this page, 0–${MAX_FIRST}. Default ${DEFAULT_FIRST}.`,
      }),
      after: t.arg.string({
        description: 'Continue after the edge with this cursor (`pageInfo.endCursor`); same filter required.',
      }),
      filter: t.arg({ type: SoftwareFilter, description: 'Only software matching all these conditions.' }),
    },
    // One call: `$top` suppresses nextLink on Defender. Following one from an upstream that pages anyway
    // (at most MAX_LIST_CALLS) is a deviation the runtime budget still counts, not the planned cost.
    extensions: upstreamCalls('software.list', {
      calls: () => 1,
      primes: ['software'],
      listSize: (args) =>
        Math.min(Math.max((args.first as number | null | undefined) ?? DEFAULT_FIRST, 0), MAX_FIRST),
    }),
    resolve: async (_, args, ctx) => {
      const first = checkFirst(args.first);
      const filter = buildFilter(checkFilter(args.filter));
      const fingerprint = filterFingerprint(filter);
      const skip = args.after == null ? 0 : decodeCursor(CURSOR_KIND, args.after, fingerprint);
      // One extra row answers hasNextPage without a second call.
      const window = await readListWindow(ctx.client, { filter, skip, want: first + 1 }, ctx.signal);
      const edges = window.rows.slice(0, first).map((row, index) => {
        // The list row is the entity: later `name`, `vendor`, … reads cost no GET /Software/{id}.
        ctx.loaders.software.prime(row.value.id, row);
        const cursor = encodeCursor(CURSOR_KIND, { skip: skip + index + 1, filter: fingerprint });
        return { cursor, node: { id: row.value.id } };
      });
      return {
        edges,
        pageInfo: {
          hasNextPage: window.rows.length > first || window.truncated,
          hasPreviousPage: skip > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
}));
