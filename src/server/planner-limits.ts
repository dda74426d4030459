import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLSchema } from 'graphql';
import * as graphql from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_LIMITS, type OperationLimits } from './planner-defaults.js';
import { graphqlOf } from './planner-graphql.js';

/** Directives per operation; not configurable, no legitimate query comes close. */
export const MAX_DIRECTIVES = 50;

/** Codes of the shape limits, one per limit, in `extensions.code`. */
export type LimitCode =
  | 'MAX_DEPTH_EXCEEDED'
  | 'MAX_ALIASES_EXCEEDED'
  | 'MAX_DIRECTIVES_EXCEEDED'
  | 'MAX_TOKENS_EXCEEDED';

/** The minimal part of graphql's ValidationContext a rejection uses (armor passes null for tokens). */
interface Reporter {
  reportError(error: graphql.GraphQLError): void;
  getSchema(): GraphQLSchema;
}

/** The schema yoga serves, for the token limit's error (parsing has no validation context). */
interface Served {
  schema?: GraphQLSchema;
}

/**
 * Builds an armor `onReject` handler that replaces armor's terse "Syntax Error: …" with a message
 * naming the limit, and a stable code. Validation limits are reported on the validation context (a
 * validation error: no execution, no upstream call); the token limit aborts parsing by throwing.
 */
function rejection(
  served: Served,
  code: LimitCode,
  limit: number,
  describe: (found: number | undefined) => string,
) {
  return (ctx: Reporter | null, armorError: { message: string }) => {
    // armor only states the count in its message ("…, found 12."); the token limit stops at limit + 1.
    const found = Number(/found (\d+)/.exec(armorError.message)?.[1] ?? Number.NaN);
    const count = Number.isFinite(found) ? found : undefined;
    // The graphql copy yoga runs with, so yoga recognises the error (see `graphqlOf`).
    const schema = ctx?.getSchema() ?? served.schema;
    const { GraphQLError } = schema ? graphqlOf(schema) : graphql;
    const error = new GraphQLError(describe(count), {
      extensions: { code, limit, ...(count === undefined ? {} : { found: count }) },
    });
    if (!ctx) throw error;
    ctx.reportError(error);
  };
}

/**
 * graphql-armor's depth, alias, directive and token limits with clear messages and stable codes.
 * Introspection (`__schema`) is exempt from the depth limit so GraphiQL's schema query works; armor's
 * own cost limit is off (the upstream planner is the cost model) and field suggestions stay on (the
 * schema is public through introspection, hiding "Did you mean …?" would only hurt people typing).
 */
export function useQueryLimits(limits: Partial<OperationLimits> = {}): Plugin {
  const { maxDepth, maxAliases, maxTokens } = { ...DEFAULT_LIMITS, ...limits };
  const served: Served = {};
  const armor = EnvelopArmorPlugin({
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
    maxDepth: {
      n: maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [
        rejection(
          served,
          'MAX_DEPTH_EXCEEDED',
          maxDepth,
          (found) => `Fields are nested ${found ?? 'too many'} levels deep; at most ${maxDepth} are allowed.`,
        ),
      ],
    },
    maxAliases: {
      n: maxAliases,
      propagateOnRejection: false,
      onReject: [
        rejection(
          served,
          'MAX_ALIASES_EXCEEDED',
          maxAliases,
          (found) =>
            `The operation uses ${found ?? 'too many'} aliases; at most ${maxAliases} are allowed. ` +
            'Use softwareByIds(ids: […]) for many ids.',
        ),
      ],
    },
    maxDirectives: {
      n: MAX_DIRECTIVES,
      propagateOnRejection: false,
      onReject: [
        rejection(
          served,
          'MAX_DIRECTIVES_EXCEEDED',
          MAX_DIRECTIVES,
          (found) =>
            `The operation uses ${found ?? 'too many'} directives; at most ${MAX_DIRECTIVES} are allowed.`,
        ),
      ],
    },
    maxTokens: {
      n: maxTokens,
      propagateOnRejection: false,
      onReject: [
        rejection(
          served,
          'MAX_TOKENS_EXCEEDED',
          maxTokens,
          () =>
            `The document has more than ${maxTokens} tokens; pass long id lists as variables instead of inline.`,
        ),
      ],
    },
  }) as Plugin;
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
    },
    onSchemaChange({ schema }) {
      served.schema = schema;
    },
  };
}
