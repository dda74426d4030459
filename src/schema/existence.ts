import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { DefenderError } from '../defender/errors.js';
import type { Loaders } from '../loaders/index.js';
import { selectedFields } from './selection.js';
import { upstreamOf } from './upstream.js';

type LoaderName = keyof Loaders;

/**
 * Decides, per request and per software id, which call proves that the id exists, so an unknown id
 * yields `null` + NOT_FOUND at the item's own path without spending a call the query did not ask for:
 * the entity call if any entity field is selected anywhere for that id, else a sub-resource call that
 * the selection makes anyway (getmissingkbs also answers 404 for unknown ids), else the entity call
 * (the one extra call, made only when nothing but `id` is selected).
 */
export interface ExistenceChecks {
  /**
   * Resolves when `id` is known to exist or could not be checked (other failures surface on the fields
   * that need the data); rejects with NOT_FOUND when Defender does not know it.
   */
  check(id: string, info: GraphQLResolveInfo): Promise<void>;
}

/** Loader names that the fields selected on `Software` under `info` will call. */
function loadersFor(info: GraphQLResolveInfo): Set<LoaderName> {
  const type = info.schema.getType('Software') as GraphQLObjectType;
  const fields = type.getFields();
  const names = new Set<LoaderName>();
  for (const name of selectedFields(info, 'Software')) {
    const meta = upstreamOf(fields[name]?.extensions);
    if (meta?.loader) names.add(meta.loader);
  }
  return names;
}

/** Creates the per-request existence checks over the request's loaders. */
export function createExistenceChecks(loaders: Loaders): ExistenceChecks {
  const wanted = new Map<string, Set<LoaderName>>();
  const probes = new Map<string, Promise<void>>();

  function probe(id: string): Promise<void> {
    const names = wanted.get(id) ?? new Set<LoaderName>();
    const first = names.has('software') ? 'software' : ([...names][0] ?? 'software');
    const load = (loaders[first] as { load(id: string): Promise<unknown> }).load(id);
    return load.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof DefenderError && error.code === 'NOT_FOUND') {
          throw new DefenderError('NOT_FOUND', `No software with id "${id}" in Defender`, error.details);
        }
        // Other failures are reported by the fields that need the data, keeping siblings intact.
      },
    );
  }

  return {
    async check(id, info) {
      const names = wanted.get(id) ?? new Set<LoaderName>();
      for (const name of loadersFor(info)) names.add(name);
      wanted.set(id, names);
      // graphql-js starts sibling resolvers synchronously; one microtask later every sibling asking
      // about this id has said which calls it will make, so the probe can reuse one of them.
      await Promise.resolve();
      let pending = probes.get(id);
      if (!pending) {
        pending = probe(id);
        probes.set(id, pending);
      }
      // Start every call the selection needs together with the probe instead of after it: one
      // round-trip of latency, not two. An unknown id then costs each selected call once (404s),
      // still within "one call per selected endpoint per distinct id".
      for (const name of wanted.get(id) ?? []) {
        (loaders[name] as { load(id: string): Promise<unknown> }).load(id).catch(() => undefined);
      }
      return pending;
    },
  };
}
