import type { GraphQLField, GraphQLObjectType } from 'graphql';
import { type UpstreamExtension, upstreamOf } from '../schema/upstream.js';
import type { CollectContext } from './planner-collect.js';

/** A loader and the endpoint it calls. */
export interface EntityLoader {
  loader: string;
  endpoint: string;
}

/** Entities one keyed field resolves, per runtime type. */
export interface KeyedTarget {
  type: GraphQLObjectType;
  /** Objects returned per evaluation, repeats included (`softwareByIds(["a","a"])` → 2). */
  objects: number;
  /** Their distinct keys: what per-request loaders below them are keyed by. */
  keys: ReadonlySet<string>;
}

const KEY_SCALARS = new Set(['ID', 'String']);

/** Whether argument `name` of `def` is a key scalar, as a list (`ids`) or not (`id`). */
function keyArgument(
  { gql }: CollectContext,
  def: GraphQLField<unknown, unknown>,
  name: string,
  list: boolean,
): boolean {
  const arg = def.args.find((a) => a.name === name);
  if (!arg) return false;
  return (
    gql.isListType(gql.getNullableType(arg.type)) === list && KEY_SCALARS.has(gql.getNamedType(arg.type).name)
  );
}

const keyOf = (value: unknown): string => String(value);

/** Key of a federation representation: its `id`, else the whole key object in a stable form. */
function representationKey(rep: Record<string, unknown>): string {
  if (typeof rep.id === 'string' || typeof rep.id === 'number') return String(rep.id);
  const { __typename: _, ...rest } = rep;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
}

function entities({ schema, gql }: CollectContext, representations: unknown): KeyedTarget[] | undefined {
  if (!Array.isArray(representations)) return undefined;
  const byType = new Map<GraphQLObjectType, { objects: number; keys: Set<string> }>();
  for (const rep of representations) {
    if (typeof rep !== 'object' || rep === null) continue;
    const type = schema.getType(String((rep as { __typename?: unknown }).__typename));
    if (!gql.isObjectType(type)) continue;
    const entry = byType.get(type) ?? { objects: 0, keys: new Set<string>() };
    entry.objects += 1;
    entry.keys.add(representationKey(rep as Record<string, unknown>));
    byType.set(type, entry);
  }
  return [...byType].map(([type, entry]) => ({ type, ...entry }));
}

/**
 * The entities a field resolves from keys given in the document or variables, or undefined when the
 * field is not keyed. Keyed, by convention: `_entities(representations)`, a field with an `id` argument
 * returning one object, and a field with an `ids` list argument returning a list of objects.
 */
export function keyedTargets(
  ctx: CollectContext,
  def: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): KeyedTarget[] | undefined {
  const { gql } = ctx;
  if (def.name === '_entities' && def.args.some((a) => a.name === 'representations')) {
    return entities(ctx, args.representations);
  }
  const returned = gql.getNullableType(def.type);
  const named = gql.getNamedType(def.type);
  if (!gql.isObjectType(named)) return undefined;
  if (!gql.isListType(returned) && keyArgument(ctx, def, 'id', false) && args.id != null) {
    return [{ type: named, objects: 1, keys: new Set([keyOf(args.id)]) }];
  }
  const inner = gql.isListType(returned) ? gql.getNullableType(returned.ofType) : undefined;
  if (inner && !gql.isListType(inner) && keyArgument(ctx, def, 'ids', true) && Array.isArray(args.ids)) {
    return [{ type: named, objects: args.ids.length, keys: new Set(args.ids.map(keyOf)) }];
  }
  return undefined;
}

/** Metadata of the root field resolving one `type` by `id` (`software(id)`, `machine(id)`), if any. */
function rootFieldMeta(
  { gql, schema }: CollectContext,
  type: GraphQLObjectType,
): UpstreamExtension | undefined {
  for (const def of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    if (gql.getNamedType(def.type) !== type || gql.isListType(gql.getNullableType(def.type))) continue;
    if (def.args.some((arg) => arg.name === 'id')) return upstreamOf(def.extensions);
  }
  return undefined;
}

/** The loader most fields of `type` use: the entity call that proves an id exists. */
function mostUsedLoader(type: GraphQLObjectType): EntityLoader | undefined {
  const votes = new Map<string, { entity: EntityLoader; n: number }>();
  for (const def of Object.values(type.getFields())) {
    const meta = upstreamOf(def.extensions);
    if (!meta?.loader) continue;
    const vote = votes.get(meta.loader) ?? { entity: { loader: meta.loader, endpoint: meta.endpoint }, n: 0 };
    vote.n += 1;
    votes.set(meta.loader, vote);
  }
  return [...votes.values()].sort((a, b) => b.n - a.n)[0]?.entity;
}

/**
 * The entity loader of `type`: the call its existence check makes when nothing selected needs one for
 * a key. Named by the type's root `id` field (`machine(id)` → `machine`), else the loader most of the
 * type's fields use (`Software` → `software`).
 */
export function entityLoaderOf(ctx: CollectContext, type: GraphQLObjectType): EntityLoader | undefined {
  const meta = rootFieldMeta(ctx, type);
  return meta?.loader ? { loader: meta.loader, endpoint: meta.endpoint } : mostUsedLoader(type);
}
