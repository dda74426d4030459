import {
  type FieldNode,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getDirectiveValues,
  type SelectionSetNode,
} from 'graphql';

function included(node: Parameters<typeof getDirectiveValues>[1], info: GraphQLResolveInfo): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

function collect(
  set: SelectionSetNode | undefined,
  typeName: string,
  info: GraphQLResolveInfo,
  out: Set<string>,
) {
  for (const selection of set?.selections ?? []) {
    if (!included(selection, info)) continue;
    if (selection.kind === 'Field') out.add(selection.name.value);
    else if (selection.kind === 'InlineFragment') {
      const condition = selection.typeCondition?.name.value;
      if (!condition || condition === typeName) collect(selection.selectionSet, typeName, info, out);
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment && fragment.typeCondition.name.value === typeName)
        collect(fragment.selectionSet, typeName, info, out);
    }
  }
}

/**
 * Names of the fields selected on `typeName` under the current field (fragments and @skip/@include
 * honoured), e.g. `{ id missingKbs { id } }` → {id, missingKbs}. Works for `_entities` too, where the
 * fields sit in `... on Software` fragments.
 */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): Set<string> {
  const out = new Set<string>();
  for (const node of info.fieldNodes as readonly FieldNode[]) collect(node.selectionSet, typeName, info, out);
  return out;
}
