/**
 * Per-operation limits checked before execution (README "Planning and limits"). Pure data, so the
 * configuration parser can import it without pulling in graphql.
 */
export interface OperationLimits {
  /**
   * `DEFENDER_MAX_CALLS_PER_OPERATION`: operations whose worst-case Defender calls exceed this are
   * refused with UPSTREAM_BUDGET_EXCEEDED before any call.
   */
  maxCallsPerOperation: number;
  /** `DEFENDER_ASSUMED_LIST_SIZE`: items the planner assumes for a list with no declared bound. */
  assumedListSize: number;
  /** `GRAPHQL_MAX_DEPTH`: deepest field nesting (fragments do not count as a level). */
  maxDepth: number;
  /** `GRAPHQL_MAX_ALIASES`: aliases per operation, fragments included. */
  maxAliases: number;
  /** `GRAPHQL_MAX_TOKENS`: lexical tokens per document; variables do not count. */
  maxTokens: number;
}

/**
 * Defaults.
 * - 100 calls: Defender grants about 100 calls per minute per tenant and app, and an operation's calls
 *   may wait for budget only `DEFENDER_QUEUE_TIMEOUT_MS` (10 s). The most one operation can be served
 *   before its deadline is what is available at once: at best one whole minute's budget on an idle
 *   tenant (the quota windows are fixed, so 10 s of waiting frees more only if a window happens to end
 *   meanwhile). An operation needing more cannot count on finishing even alone; it would burn the
 *   tenant's budget and likely fail half way, so it is refused up front. 100 still covers the
 *   product's core question: missing KBs and entity fields of 50 software ids.
 * - 1,000 items for an unbounded list (a software's devices, its CVEs): larger than the call limit, so
 *   a per-item call under an unbounded list is refused unless the list declares a bound (`first`).
 * - Depth 10: the deepest useful path is about 6 (`_entities` → Software → machines → Machine →
 *   software → Software fields); 10 leaves room without allowing runaway nesting over cyclic types.
 * - 30 aliases: `softwareByIds` and variables cover many ids; aliases are for a few named variants.
 * - 2,000 tokens: GraphiQL's introspection query is about 200; an inline list of 500 ids about 1,000.
 */
export const DEFAULT_LIMITS: OperationLimits = {
  maxCallsPerOperation: 100,
  assumedListSize: 1000,
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2000,
};
