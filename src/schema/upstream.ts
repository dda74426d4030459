import type { Loaders } from '../loaders/index.js';

/**
 * Field metadata naming the upstream calls a field costs. Resolvers use it to pick an existence probe;
 * the pre-execution planner sums it over an operation to a worst-case number of Defender calls.
 *
 * Rules the planner applies:
 * - `loader` set: one call per **distinct parent key** reaching this field in the operation (the
 *   per-request DataLoader dedupes), e.g. `Software.missingKbs`.
 * - `calls(args)`: calls this field makes itself, per evaluation (e.g. a list page: 1, or more when it
 *   may follow `@odata.nextLink`), independent of a loader.
 * - `listSize(args)`: upper bound of items a list field returns, multiplying the parents below it
 *   (e.g. `softwareByIds` → distinct ids, `softwareList(first)` → first). List fields without it use the
 *   planner's assumed size for unbounded lists.
 */
export interface UpstreamExtension {
  /** The per-request loader whose call serves this field. */
  loader?: keyof Loaders;
  /** Endpoint template, as logged and counted, e.g. `software.getmissingkbs`. */
  endpoint: string;
  calls?: (args: Record<string, unknown>) => number;
  listSize?: (args: Record<string, unknown>) => number;
}

/** Builds the `extensions` object for a field served by a per-request loader (one call per parent key). */
export function upstream(loader: keyof Loaders, endpoint: string): { upstream: UpstreamExtension } {
  return { upstream: { loader, endpoint } };
}

/** Builds the `extensions` object for a field that makes its own calls (root lists, paging). */
export function upstreamCalls(
  endpoint: string,
  options: Pick<UpstreamExtension, 'calls' | 'listSize'>,
): { upstream: UpstreamExtension } {
  return { upstream: { endpoint, ...options } };
}

/** Reads the metadata back from a schema field's extensions. */
export function upstreamOf(
  extensions: Readonly<Record<string, unknown>> | null | undefined,
): UpstreamExtension | undefined {
  return extensions?.upstream as UpstreamExtension | undefined;
}
