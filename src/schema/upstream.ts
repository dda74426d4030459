import type { Loaders } from '../loaders/index.js';

/**
 * Field metadata naming the upstream calls a field costs. Resolvers use it to pick an existence probe;
 * the pre-execution planner (`src/server/planner.ts`) sums it over an operation to a worst-case number
 * of Defender calls, so a field that costs calls and lacks it makes the planner underestimate.
 *
 * Rules the planner applies:
 * - `loader` set: one call per **distinct parent key** reaching this field in the operation (the
 *   per-request DataLoader dedupes), e.g. `Software.missingKbs`. Parent keys are exact where the parent
 *   was resolved from keys in the document (see "keyed fields"); elsewhere every parent counts.
 * - `calls(args)`: calls this field makes itself, per evaluation, i.e. per parent object, never
 *   deduplicated (e.g. a list page: 1, or more when it may follow `@odata.nextLink`).
 * - `listSize(args)`: upper bound of items a list field returns, multiplying the parents below it
 *   (e.g. `softwareList(first)` → first). On a non-list field returning a connection it bounds the lists
 *   directly inside that connection (`edges`, `nodes`). Lists without it use the planner's assumed size
 *   for unbounded lists (`DEFENDER_ASSUMED_LIST_SIZE`).
 * - `primes`: loaders this field fills for the entities it returns (a list page or a device's software
 *   list carries whole Software rows and primes `software`), so fields served by those loaders cost
 *   nothing on those entities. It reaches through free wrapper fields (`edges`, `node`, `nodes`).
 *
 * Keyed fields, recognised without metadata: a field with an `id: ID` argument returning one object, a
 * field with an `ids: [ID]` argument returning a list, and federation `_entities(representations)`
 * resolve entities from keys the planner reads from the document and variables, so loader fields below
 * them cost one call per distinct key across the whole operation (aliases and repeats collapse).
 * Each key goes through the existence checks (`src/schema/existence.ts`): the entity call is made only
 * when nothing selected on the entity needs a call for that key (e.g. only `id` is selected), and
 * root fields naming the same key share it. On a keyed field, `loader` names that entity loader
 * (`machine(id)` → `machine`, also used for `_entities` of the type); without one it is the loader most
 * of the type's fields use (`Software` → `software`). A keyed resolver that loads the entity whatever
 * is selected must say so with `calls`.
 * Selected fields without metadata other than `id` are assumed to need the entity loader on entities
 * resolved from keys (e.g. Machine reference fields: free under a software's device list, a
 * `GET /machines/{id}` under `machine(id)`).
 */
export interface UpstreamExtension {
  /** The per-request loader whose call serves this field. */
  loader?: keyof Loaders;
  /** Endpoint template, as logged and counted, e.g. `software.getmissingkbs`. */
  endpoint: string;
  /** Calls this field makes itself per evaluation. @default none */
  calls?: (args: Record<string, unknown>) => number;
  /** Upper bound of the items this list (or connection) holds. @default the assumed list size */
  listSize?: (args: Record<string, unknown>) => number;
  /** Loaders already filled for the entities this field returns. @default none */
  primes?: readonly (keyof Loaders)[];
}

/** Optional facts of a loader-served field: list bound and primed loaders. */
export type UpstreamOptions = Pick<UpstreamExtension, 'listSize' | 'primes'>;

/** Builds the `extensions` object for a field served by a per-request loader (one call per parent key). */
export function upstream(
  loader: keyof Loaders,
  endpoint: string,
  options: UpstreamOptions = {},
): { upstream: UpstreamExtension } {
  return { upstream: { loader, endpoint, ...options } };
}

/** Builds the `extensions` object for a field that makes its own calls (root lists, paging). */
export function upstreamCalls(
  endpoint: string,
  options: Pick<UpstreamExtension, 'calls' | 'listSize' | 'primes'>,
): { upstream: UpstreamExtension } {
  return { upstream: { endpoint, ...options } };
}

/** Reads the metadata back from a schema field's extensions. */
export function upstreamOf(
  extensions: Readonly<Record<string, unknown>> | null | undefined,
): UpstreamExtension | undefined {
  return extensions?.upstream as UpstreamExtension | undefined;
}
