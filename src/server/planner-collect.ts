import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  isAbstractType,
  Kind,
  type NamedTypeNode,
  type SelectionSetNode,
} from 'graphql';

/** What field collection needs from the operation: the schema, its fragments and coerced variables. */
export interface CollectContext {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: CollectContext['variables']) {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** Whether a fragment with this type condition applies to objects of `type` (as graphql-js decides). */
function applies(schema: GraphQLSchema, condition: NamedTypeNode | undefined, type: GraphQLObjectType) {
  if (!condition) return true;
  const conditionType = schema.getType(condition.name.value);
  if (conditionType === type) return true;
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

function collectInto(
  ctx: CollectContext,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  out: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of set.selections) {
    if (!included(selection, ctx.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      out.set(key, [...(out.get(key) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(ctx.schema, selection.typeCondition, type))
        collectInto(ctx, type, selection.selectionSet, out, visited);
    } else {
      const name = selection.name.value;
      const fragment = ctx.fragments[name];
      if (visited.has(name) || !fragment || !applies(ctx.schema, fragment.typeCondition, type)) continue;
      visited.add(name);
      collectInto(ctx, type, fragment.selectionSet, out, visited);
    }
  }
}

/**
 * The fields executed on an object of `type` for these selection sets, grouped by response key exactly
 * as graphql-js groups them: fragments and inline fragments whose condition applies are flattened,
 * `@skip`/`@include` are evaluated with the variables, and fields sharing a response key (repeats, or
 * an alias equal to another field's name) merge into one evaluation with their sub-selections combined.
 */
export function collectFields(
  ctx: CollectContext,
  type: GraphQLObjectType,
  sets: readonly (SelectionSetNode | undefined)[],
): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const set of sets) if (set) collectInto(ctx, type, set, out, visited);
  return out;
}
