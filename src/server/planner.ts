import {
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Logger } from '../defender/http.js';
import { DEFAULT_LIMITS } from './planner-defaults.js';
import { graphqlOf } from './planner-graphql.js';
import { type Plan, Tally } from './planner-tally.js';
import { OperationWalk } from './planner-walk.js';

export type { Plan } from './planner-tally.js';

/** The operation to plan, as the client sent it. */
export interface PlanRequest {
  operationName?: string | null;
  /** Raw variables; coerced against the operation's definitions as execution will. */
  variables?: Readonly<Record<string, unknown>> | null;
}

/**
 * Worst-case Defender calls of one operation, from its document, variables and the schema's field
 * cost metadata (`src/schema/upstream.ts`), without running anything. Undefined when the operation
 * cannot execute at all (unknown operation, invalid variables): execution then fails before any call.
 * @param assumedListSize items assumed for lists that declare no bound. @default 1000
 */
export function planOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: PlanRequest = {},
  assumedListSize = DEFAULT_LIMITS.assumedListSize,
): Plan | undefined {
  const operation = getOperationAST(document, request.operationName ?? undefined);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return undefined;
  const gql = graphqlOf(schema);
  const coerced = gql.getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (coerced.errors) return undefined;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const tally = new Tally();
  const ctx = { schema, gql, fragments, variables: coerced.coerced };
  const walk = new OperationWalk(ctx, tally, assumedListSize);
  walk.walk({ type: root, count: 1, root: operation.operation === 'query', primed: new Set() }, [
    operation.selectionSet,
  ]);
  walk.finish();
  return tally.plan();
}

/** Options of {@link usePlanner}. */
export interface PlannerOptions {
  /** Refuse operations estimated above this many Defender calls. @default 100 */
  maxCallsPerOperation?: number;
  /** Items assumed for lists that declare no bound. @default 1000 */
  assumedListSize?: number;
  /** Where refusals are logged (no document or variables, only the numbers). */
  logger?: Logger;
}

/** What every planned response carries in `extensions.cost`. */
export interface CostExtension {
  estimatedCalls: number;
  limit: number;
}

/**
 * The single error of a refused operation, built with the graphql copy that built `schema` (the one
 * yoga executes with), so yoga treats it as a GraphQL error: HTTP status per `http`, internals stripped.
 */
export function budgetExceeded(schema: GraphQLSchema, plan: Plan, limit: number): GraphQLError {
  return new (graphqlOf(schema).GraphQLError)(
    `This operation could need up to ${plan.estimatedCalls} Defender calls; at most ${limit} are allowed ` +
      'per operation. Ask for fewer ids or fields, page lists with a smaller "first", or split the operation.',
    {
      extensions: {
        code: 'UPSTREAM_BUDGET_EXCEEDED',
        estimate: plan.estimatedCalls,
        limit,
        byEndpoint: plan.byEndpoint,
        // A request error, like a validation failure: 400 for application/graphql-response+json,
        // 200 for legacy application/json (GraphQL over HTTP); yoga strips `http` from the body.
        http: { spec: true, status: 400 },
      },
    },
  );
}

/**
 * Plans every operation after validation and before execution: above the limit the whole operation is
 * refused with one UPSTREAM_BUDGET_EXCEEDED error and no upstream call; otherwise the response carries
 * `extensions.cost = { estimatedCalls, limit }`.
 */
export function usePlanner(options: PlannerOptions = {}): Plugin {
  const limit = options.maxCallsPerOperation ?? DEFAULT_LIMITS.maxCallsPerOperation;
  const assumed = options.assumedListSize ?? DEFAULT_LIMITS.assumedListSize;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const plan = planOperation(
        args.schema,
        args.document,
        { operationName: args.operationName, variables: args.variableValues },
        assumed,
      );
      if (!plan) return;
      if (plan.estimatedCalls > limit) {
        const requestId = (args.contextValue as { requestId?: string } | undefined)?.requestId;
        options.logger?.info(
          { requestId, estimate: plan.estimatedCalls, limit, byEndpoint: plan.byEndpoint },
          'operation refused before any upstream call: estimated calls above DEFENDER_MAX_CALLS_PER_OPERATION',
        );
        setResultAndStopExecution({ errors: [budgetExceeded(args.schema, plan, limit)] });
        return;
      }
      const cost: CostExtension = { estimatedCalls: plan.estimatedCalls, limit };
      let told = false;
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            // Incremental delivery (@defer/@stream): the first payload says it, later ones need not.
            if (told) return;
            told = true;
            // A reused whole response already says it; keeping that object keeps its cached JSON text.
            const known = result.extensions?.cost as CostExtension | undefined;
            if (known?.estimatedCalls === cost.estimatedCalls && known.limit === cost.limit) return;
            setResult({ ...result, extensions: { ...result.extensions, cost } } as ExecutionResult);
          });
        },
      };
    },
  };
}
