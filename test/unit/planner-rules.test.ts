import {
  type GraphQLFieldConfig,
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { upstream, upstreamCalls } from '../../src/schema/upstream.js';
import { planOperation } from '../../src/server/planner.js';

/**
 * A small schema exercising each planner rule through field metadata only, so the rules are pinned
 * independently of the product schema (which grows): the planner must need no change for new fields.
 */
const Node = new GraphQLInterfaceType({
  name: 'Node',
  fields: { id: { type: new GraphQLNonNull(GraphQLID) } },
});
const id = { type: new GraphQLNonNull(GraphQLID) };
const Item: GraphQLObjectType = new GraphQLObjectType({
  name: 'Item',
  interfaces: [Node],
  fields: (): Record<string, GraphQLFieldConfig<unknown, unknown>> => ({
    id,
    name: { type: GraphQLString, extensions: upstream('software', 'item.get') },
    title: { type: GraphQLString, extensions: upstream('software', 'item.get') },
    plain: { type: GraphQLString },
    kbs: { type: new GraphQLList(GraphQLString), extensions: upstream('missingKbs', 'item.kbs') },
    history: {
      type: new GraphQLList(GraphQLString),
      args: { days: { type: GraphQLInt } },
      extensions: upstreamCalls('item.history', { calls: (a) => ((a.days as number) > 30 ? 2 : 1) }),
    },
    related: {
      type: new GraphQLList(Item),
      extensions: upstream('distributions', 'item.related', { primes: ['software'] }),
    },
    child: { type: Item, args: { id }, extensions: {} },
  }),
});
const Thing = new GraphQLObjectType({
  name: 'Thing',
  interfaces: [Node],
  fields: {
    id,
    label: { type: GraphQLString },
    kbs: { type: GraphQLString, extensions: upstream('machineMissingKbs', 'thing.kbs') },
  },
});
const Edge = new GraphQLObjectType({ name: 'ItemEdge', fields: { node: { type: Item } } });
const Connection = new GraphQLObjectType({
  name: 'ItemConnection',
  fields: { nodes: { type: new GraphQLList(Item) }, edges: { type: new GraphQLList(Edge) } },
});
const schema = new GraphQLSchema({
  types: [Thing],
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      item: { type: Item, args: { id } },
      items: { type: new GraphQLList(Item), args: { ids: { type: new GraphQLList(GraphQLID) } } },
      thing: { type: Thing, args: { id }, extensions: upstream('machine', 'thing.get') },
      page: {
        type: Connection,
        args: { first: { type: GraphQLInt } },
        extensions: upstreamCalls('item.page', {
          calls: () => 1,
          listSize: (a) => (a.first as number | undefined) ?? 10,
          primes: ['software'],
        }),
      },
      search: { type: new GraphQLList(Node) },
      grid: { type: new GraphQLList(new GraphQLList(Item)) },
      sized: {
        type: new GraphQLList(Item),
        args: { n: { type: GraphQLInt } },
        extensions: upstreamCalls('item.sized', { calls: () => 0, listSize: (a) => a.n as number }),
      },
    },
  }),
});

const estimate = (query: string, variables?: Record<string, unknown>) =>
  planOperation(schema, parse(query), { variables }, 4)?.byEndpoint;

describe('planner rules (synthetic schema, assumed list size 4)', () => {
  it('counts `calls` per parent object, never deduplicated, with its arguments', () => {
    // Two distinct keys, three objects; `history` has no loader, so each key also needs its probe.
    expect(estimate('{ items(ids: ["a", "a", "b"]) { history(days: 60) } }')).toEqual({
      'item.get': 2,
      'item.history': 6,
    });
  });

  it('multiplies nested list wrappers and falls back to the assumed size for a bad bound', () => {
    expect(estimate('{ grid { name } }')).toEqual({ 'item.get': 16 });
    expect(estimate('{ sized(n: 3) { name } }')).toEqual({ 'item.get': 3 });
    expect(estimate('{ sized { name } }')).toEqual({ 'item.get': 4 });
  });

  it("applies a connection's listSize to the lists inside it, and its primes to their items", () => {
    expect(estimate('{ page(first: 5) { nodes { name kbs } edges { node { title kbs } } } }')).toEqual({
      'item.page': 1,
      'item.kbs': 10,
    });
  });

  it('lets primes reach the returned entities only, not entities behind the next upstream source', () => {
    expect(estimate('{ item(id: "a") { related { name related { name } } } }')).toEqual({
      'item.related': 5,
    });
    expect(estimate('{ item(id: "a") { related { kbs } } }')).toEqual({ 'item.related': 1, 'item.kbs': 4 });
  });

  it('plans every possible type of an abstract list', () => {
    expect(estimate('{ search { id ... on Item { name } ... on Thing { label kbs } } }')).toEqual({
      'item.get': 4,
      'thing.kbs': 4,
    });
  });

  it("takes a keyed field's own loader as its entity loader: the probe, and what key-only fields need", () => {
    expect(estimate('{ thing(id: "t") { id } }')).toEqual({ 'thing.get': 1 });
    expect(
      estimate('{ a: thing(id: "t") { id } b: thing(id: "t") { label } c: thing(id: "u") { kbs } }'),
    ).toEqual({
      'thing.get': 1,
      'thing.kbs': 1,
    });
  });

  it('probes per site below the root, and treats fields without metadata as needing the entity', () => {
    expect(estimate('{ item(id: "a") { child(id: "b") { id } } }')).toEqual({ 'item.get': 2 });
    expect(estimate('{ item(id: "a") { child(id: "a") { name } } }')).toEqual({ 'item.get': 1 });
    expect(estimate('{ item(id: "a") { plain kbs } }')).toEqual({ 'item.get': 1, 'item.kbs': 1 });
    expect(estimate('{ item(id: "a") { plain } }')).toEqual({ 'item.get': 1 });
  });
});
