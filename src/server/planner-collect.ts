import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type NamedTypeNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLModule } from './planner-graphql.js';

/** What field collection needs from the operation: the schema, its fragments and coerced variables. */
export interface CollectContext {
  schema: GraphQLSchema;
  /** The graphql instance that built `schema` (see `graphqlOf`). */
  gql: GraphQLModule;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
}

function included({ gql, variables }: CollectContext, node: SelectionNode) {
  if (gql.getDirectiveValues(gql.GraphQLSkipDirective, node, variables)?.if === true) return false;
  return gql.getDirectiveValues(gql.GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** Whether a fragment with this type condition applies to objects of `type` (as graphql-js decides). */
function applies(ctx: CollectContext, condition: NamedTypeNode | undefined, type: GraphQLObjectType) {
  if (!condition) return true;
  const conditionType = ctx.schema.getType(condition.name.value);
  if (conditionType === type) return true;
  return (
    conditionType !== undefined &&
    ctx.gql.isAbstractType(conditionType) &&
    ctx.schema.isSubType(conditionType, type)
  );
}

/** Whether a fragment is delivered later (`@defer`, unless `if: false`): its fields start later. */
function deferred({ gql, schema, variables }: CollectContext, node: SelectionNode): boolean {
  const directive = schema.getDirective('defer');
  if (!directive) return false;
  const values = gql.getDirectiveValues(directive, node, variables);
  return values !== undefined && values.if !== false;
}

/** Where collected fields go: the groups, and the response keys with a field from a deferred fragment. */
interface Collected {
  groups: Map<string, FieldNode[]>;
  deferredKeys: Set<string>;
}

function collectInto(
  ctx: CollectContext,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  out: Collected,
  visited: Set<string>,
  later: boolean,
): void {
  for (const selection of set.selections) {
    if (!included(ctx, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      out.groups.set(key, [...(out.groups.get(key) ?? []), selection]);
      if (later) out.deferredKeys.add(key);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(ctx, selection.typeCondition, type))
        collectInto(ctx, type, selection.selectionSet, out, visited, later || deferred(ctx, selection));
    } else {
      const name = selection.name.value;
      const fragment = ctx.fragments[name];
      if (visited.has(name) || !fragment || !applies(ctx, fragment.typeCondition, type)) continue;
      visited.add(name);
      collectInto(ctx, type, fragment.selectionSet, out, visited, later || deferred(ctx, selection));
    }
  }
}

/**
 * The fields executed on an object of `type` for these selection sets, grouped by response key exactly
 * as graphql-js groups them: fragments and inline fragments whose condition applies are flattened,
 * `@skip`/`@include` are evaluated with the variables, and fields sharing a response key (repeats, or
 * an alias equal to another field's name) merge into one evaluation with their sub-selections combined.
 * `deferredKeys` names the groups with a field from a `@defer` fragment (all of them still count).
 */
export function collectFields(
  ctx: CollectContext,
  type: GraphQLObjectType,
  sets: readonly (SelectionSetNode | undefined)[],
): Collected {
  const out: Collected = { groups: new Map(), deferredKeys: new Set() };
  const visited = new Set<string>();
  for (const set of sets) if (set) collectInto(ctx, type, set, out, visited, false);
  return out;
}
