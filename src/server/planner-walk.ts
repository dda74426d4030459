import type {
  FieldNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  SelectionSetNode,
} from 'graphql';
import { type UpstreamExtension, upstreamOf } from '../schema/upstream.js';
import { type CollectContext, collectFields } from './planner-collect.js';
import { type EntityLoader, entityLoaderOf, type KeyedTarget, keyedTargets } from './planner-keys.js';
import type { Tally } from './planner-tally.js';

type Field = GraphQLField<unknown, unknown>;

/** The objects a selection set is evaluated on. */
export interface Parents {
  type: GraphQLObjectType;
  /** How many objects, worst case (each field below is evaluated once per object). */
  count: number;
  /** Their exact distinct keys, when they were resolved from keys in the document. */
  keys?: ReadonlySet<string>;
  /** The entity loader key-only fields need; set when the objects were resolved from keys. */
  entity?: EntityLoader;
  /** Root fields of a query: they start together, so existence checks of one key share a probe. */
  root: boolean;
  /** Bound on unannotated lists directly inside this object (a connection's `edges`/`nodes`). */
  listBound?: number;
  /** Loaders already filled for these objects (`primes`). */
  primed: ReadonlySet<string>;
}

const NOTHING: ReadonlySet<string> = new Set();
const bucketOf = (loader: string) => `loader:${loader}`;

/** A finite, non-negative whole number from a metadata function, or the fallback. */
function whole(value: number, fallback: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.ceil(value)) : fallback;
}

function argumentsOf({ gql, variables }: CollectContext, def: Field, node: FieldNode) {
  try {
    return gql.getArgumentValues(def, node, variables as Record<string, unknown>);
  } catch {
    // Invalid arguments fail the field before its resolver runs: it calls nothing.
    return undefined;
  }
}

function possibleTypes(ctx: CollectContext, named: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (ctx.gql.isObjectType(named)) return [named];
  return ctx.gql.isAbstractType(named) ? ctx.schema.getPossibleTypes(named) : [];
}

/**
 * Walks one operation the way graphql-js will execute it, adding the Defender calls each field costs
 * (per `extensions.upstream`, see `src/schema/upstream.ts`) to a {@link Tally}.
 */
export class OperationWalk {
  /** Per entity type and key, the loaders its root-level keyed fields need (existence probes). */
  private readonly rootNeeds = new Map<string, { entity?: EntityLoader; key: string; needs: Set<string> }>();
  private readonly entityLoaders = new Map<GraphQLObjectType, EntityLoader | undefined>();

  constructor(
    private readonly ctx: CollectContext,
    private readonly tally: Tally,
    private readonly assumedListSize: number,
  ) {}

  /** Adds the calls of every field selected on `parents` (and below). */
  walk(parents: Parents, sets: readonly (SelectionSetNode | undefined)[]): void {
    const { groups, deferredKeys } = collectFields(this.ctx, parents.type, sets);
    for (const [key, nodes] of groups) {
      // A deferred root field starts after the others' existence checks: it cannot share their probe.
      this.field(deferredKeys.has(key) && parents.root ? { ...parents, root: false } : parents, nodes);
    }
  }

  /** Adds the existence probes of root-level keys that nothing selected calls for. */
  finish(): void {
    for (const { entity, key, needs } of this.rootNeeds.values()) {
      if (needs.size === 0 && entity) this.tally.addKeys(bucketOf(entity.loader), entity.endpoint, [key]);
    }
  }

  private field(parents: Parents, nodes: FieldNode[]): void {
    const node = nodes[0] as FieldNode;
    const def = parents.type.getFields()[node.name.value];
    if (!def) return; // __typename and introspection: free
    const { gql } = this.ctx;
    const args = argumentsOf(this.ctx, def, node);
    if (!args) return;
    const meta = upstreamOf(def.extensions);
    // Key-only: on an entity resolved from a bare key, a field without metadata may read the entity.
    if (!meta && parents.entity && def.name !== 'id') this.load(parents, parents.entity);
    if (meta?.calls) {
      this.tally.addCount(
        `calls:${meta.endpoint}`,
        meta.endpoint,
        parents.count * whole(meta.calls(args), 1),
      );
    }
    const sets = nodes.map((n) => n.selectionSet);
    const targets = keyedTargets(this.ctx, def, args);
    if (targets) {
      for (const target of targets) this.keyed(parents, meta, target, sets);
      return;
    }
    if (meta?.loader) this.load(parents, { loader: meta.loader, endpoint: meta.endpoint });
    const types = possibleTypes(this.ctx, gql.getNamedType(def.type));
    if (types.length === 0) return;
    const listed = gql.isListType(gql.getNullableType(def.type));
    const child = {
      count: parents.count * this.listFactor(def.type, meta, args, meta ? undefined : parents.listBound),
      root: false,
      listBound: !listed && meta?.listSize ? whole(meta.listSize(args), this.assumedListSize) : undefined,
      // Priming reaches through free wrapper fields (edges, node) and stops at the next upstream source.
      primed: meta ? new Set<string>(meta.primes ?? []) : parents.primed,
    };
    for (const type of types) this.walk({ ...child, type }, sets);
  }

  /** One call per parent key (known keys dedupe), unless the loader is already primed for them. */
  private load(parents: Parents, entity: EntityLoader): void {
    if (parents.primed.has(entity.loader)) return;
    const bucket = bucketOf(entity.loader);
    if (parents.keys) this.tally.addKeys(bucket, entity.endpoint, parents.keys);
    else this.tally.addCount(bucket, entity.endpoint, parents.count);
  }

  /**
   * Entities resolved from keys: exact keys below, plus the existence check of each key, which costs
   * the entity call only when nothing selected calls for that key (`src/schema/existence.ts`).
   */
  private keyed(
    parents: Parents,
    meta: UpstreamExtension | undefined,
    target: KeyedTarget,
    sets: readonly (SelectionSetNode | undefined)[],
  ): void {
    const entity = meta?.loader
      ? { loader: meta.loader, endpoint: meta.endpoint }
      : this.entityLoaderOf(target.type);
    const children: Parents = {
      type: target.type,
      count: parents.count * target.objects,
      keys: target.keys,
      root: false,
      primed: NOTHING,
      ...(entity ? { entity } : {}),
    };
    const needs = this.needs(children, sets);
    if (parents.root) {
      for (const key of target.keys) {
        const id = `${target.type.name}\u0000${key}`;
        const entry = this.rootNeeds.get(id) ?? { entity, key, needs: new Set<string>() };
        for (const loader of needs) entry.needs.add(loader);
        this.rootNeeds.set(id, entry);
      }
    } else if (entity && needs.size === 0) {
      this.tally.addKeys(bucketOf(entity.loader), entity.endpoint, target.keys);
    }
    this.walk(children, sets);
  }

  /** Loaders the fields selected directly on keyed entities call (what the existence check sees). */
  private needs(children: Parents, sets: readonly (SelectionSetNode | undefined)[]): Set<string> {
    const needs = new Set<string>();
    for (const [first] of collectFields(this.ctx, children.type, sets).groups.values()) {
      const def = children.type.getFields()[(first as FieldNode).name.value];
      if (!def) continue;
      const meta = upstreamOf(def.extensions);
      if (meta?.loader) needs.add(meta.loader);
      else if (!meta && children.entity && def.name !== 'id') needs.add(children.entity.loader);
    }
    return needs;
  }

  private entityLoaderOf(type: GraphQLObjectType): EntityLoader | undefined {
    if (!this.entityLoaders.has(type)) this.entityLoaders.set(type, entityLoaderOf(this.ctx, type));
    return this.entityLoaders.get(type);
  }

  /** Objects per parent: list sizes multiplied over every list wrapper of the field's type. */
  private listFactor(
    type: GraphQLOutputType,
    meta: UpstreamExtension | undefined,
    args: Record<string, unknown>,
    inherited: number | undefined,
  ): number {
    const { gql } = this.ctx;
    let factor = 1;
    let outer = true;
    for (let t = gql.getNullableType(type); gql.isListType(t); t = gql.getNullableType(t.ofType)) {
      const declared = outer && meta?.listSize ? whole(meta.listSize(args), this.assumedListSize) : undefined;
      factor *= declared ?? (outer ? inherited : undefined) ?? this.assumedListSize;
      outer = false;
    }
    return factor;
  }
}
