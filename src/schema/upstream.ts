import type { Loaders } from '../loaders/index.js';

/**
 * Field metadata naming the upstream call a field costs. Resolvers use it to pick an existence probe,
 * and the operation planner can sum it: one call per distinct parent id per loader.
 */
export interface UpstreamExtension {
  /** The per-request loader whose call serves this field. */
  loader: keyof Loaders;
  /** Endpoint template, as logged and counted. */
  endpoint: string;
}

/** Builds the `extensions` object for a field that costs an upstream call. */
export function upstream(loader: keyof Loaders, endpoint: string): { upstream: UpstreamExtension } {
  return { upstream: { loader, endpoint } };
}

/** Reads the metadata back from a schema field's extensions. */
export function upstreamOf(
  extensions: Readonly<Record<string, unknown>> | null | undefined,
): UpstreamExtension | undefined {
  return extensions?.upstream as UpstreamExtension | undefined;
}
