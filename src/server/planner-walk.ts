import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  type SelectionSetNode,
} from 'graphql';
import { type UpstreamExtension, upstreamOf } from '../schema/upstream.js';
import { type CollectContext, collectFields } from './planner-collect.js';
import { type KeyedTarget, keyedTargets } from './planner-keys.js';
import type { Tally } from './planner-tally.js';

type Field = GraphQLField<unknown, unknown>;

/** A loader and the endpoint it calls. */
interface EntityLoader {
  loader: string;
  endpoint: string;
}

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

function argumentsOf(def: Field, node: FieldNode, variables: Record<string, unknown>) {
  try {
    return getArgumentValues(def, node, variables);
  } catch {
    // Invalid arguments fail the field before its resolver runs: it calls nothing.
    return undefined;
  }
}

function possibleTypes(ctx: CollectContext, named: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(named)) return [named];
  return isAbstractType(named) ? ctx.schema.getPossibleTypes(named) : [];
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
    for (const nodes of collectFields(this.ctx, parents.type, sets).values()) this.field(parents, nodes);
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
    const args = argumentsOf(def, node, this.ctx.variables as Record<string, unknown>);
    if (!args) return;
    const meta = upstreamOf(def.extensions);
    if (meta?.calls) {
      this.tally.addCount(`calls:${meta.endpoint}`, meta.endpoint, parents.count * whole(meta.calls(args), 1));
    }
    const sets = nodes.map((n) => n.selectionSet);
    const targets = keyedTargets(this.ctx.schema, def, args);
    if (targets) {
      for (const target of targets) this.keyed(parents, meta, target, sets);
      return;
    }
    if (meta?.loader) this.load(parents, { loader: meta.loader, endpoint: meta.endpoint });
    else if (!meta && parents.entity && def.name !== 'id') this.load(parents, parents.entity);
    const named = getNamedType(def.type);
    const types = possibleTypes(this.ctx, named);
    if (types.length === 0) return;
    const listed = isListType(getNullableType(def.type));
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

  /** Entities resolved from keys: exact keys below, and an existence probe when nothing calls. */
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
    } else if (needs.size === 0 && entity) {
      this.tally.addKeys(bucketOf(entity.loader), entity.endpoint, target.keys);
    }
    this.walk(children, sets);
  }

  /** Loaders the fields selected directly on keyed entities call (what the existence check sees). */
  private needs(children: Parents, sets: readonly (SelectionSetNode | undefined)[]): Set<string> {
    const needs = new Set<string>();
    for (const [first] of collectFields(this.ctx, children.type, sets).values()) {
      const def = children.type.getFields()[(first as FieldNode).name.value];
      if (!def) continue;
      const meta = upstreamOf(def.extensions);
      if (meta?.loader) needs.add(meta.loader);
      else if (!meta && children.entity && def.name !== 'id') needs.add(children.entity.loader);
    }
    return needs;
  }

  /** The loader most fields of `type` use: the entity call that proves an id exists. */
  private entityLoaderOf(type: GraphQLObjectType): EntityLoader | undefined {
    if (this.entityLoaders.has(type)) return this.entityLoaders.get(type);
    const votes = new Map<string, { entity: EntityLoader; n: number }>();
    for (const def of Object.values(type.getFields())) {
      const meta = upstreamOf(def.extensions);
      if (!meta?.loader) continue;
      const vote = votes.get(meta.loader) ?? { entity: { loader: meta.loader, endpoint: meta.endpoint }, n: 0 };
      vote.n += 1;
      votes.set(meta.loader, vote);
    }
    const best = [...votes.values()].sort((a, b) => b.n - a.n)[0]?.entity;
    this.entityLoaders.set(type, best);
    return best;
  }

  /** Objects per parent: list sizes multiplied over every list wrapper of the field's type. */
  private listFactor(
    type: GraphQLOutputType,
    meta: UpstreamExtension | undefined,
    args: Record<string, unknown>,
    inherited: number | undefined,
  ): number {
    let factor = 1;
    let outer = true;
    for (let t = getNullableType(type); isListType(t); t = getNullableType(t.ofType)) {
      const declared = outer && meta?.listSize ? whole(meta.listSize(args), this.assumedListSize) : undefined;
      factor *= declared ?? (outer ? inherited : undefined) ?? this.assumedListSize;
      outer = false;
    }
    return factor;
  }
}
