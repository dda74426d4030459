import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { DefenderError } from '../defender/errors.js';
import type { Loaders } from '../loaders/index.js';
import { selectedFields } from './selection.js';
import { upstreamOf } from './upstream.js';

type LoaderName = keyof Loaders;

/** What the existence checks need to know about one entity type. */
export interface EntityKind {
  /** GraphQL type whose selected fields name the calls, e.g. `Machine`. */
  typeName: string;
  /** Noun for the NOT_FOUND message, e.g. `machine` → `No machine with id "…" in Defender`. */
  label: string;
  /** The loader fetching the entity itself; the probe of last resort. */
  entityLoader: LoaderName;
  /**
   * Fields without cost metadata that nevertheless need the entity call when the parent holds only the
   * id (e.g. a Machine's reference fields: free under `Software.machines`, one `GET` under `machine(id)`).
   */
  keyOnlyFields?: ReadonlySet<string>;
}

/** The Software entity (`software`, `softwareByIds`, `_entities`). */
export const SOFTWARE_KIND: EntityKind = {
  typeName: 'Software',
  label: 'software',
  entityLoader: 'software',
};

/**
 * Decides, per request, entity type and id, which call proves that the id exists, so an unknown id
 * yields `null` + NOT_FOUND at the item's own path without spending a call the query did not ask for:
 * the entity call if it is needed anyway, else a sub-resource call that the selection makes anyway
 * (Defender answers 404 for unknown ids on sub-resources too), else the entity call (the one extra
 * call, made only when nothing but `id` is selected). Every loader on an entity's fields must be keyed
 * by that entity's id.
 */
export interface ExistenceChecks {
  /**
   * Resolves when `id` is known to exist or could not be checked (other failures surface on the fields
   * that need the data); rejects with NOT_FOUND when Defender does not know it.
   * @param kind the entity type. @default SOFTWARE_KIND
   */
  check(id: string, info: GraphQLResolveInfo, kind?: EntityKind): Promise<void>;
}

/** Loader names that the fields selected on `kind.typeName` under `info` will call. */
function loadersFor(info: GraphQLResolveInfo, kind: EntityKind): Set<LoaderName> {
  const type = info.schema.getType(kind.typeName) as GraphQLObjectType;
  const fields = type.getFields();
  const names = new Set<LoaderName>();
  for (const name of selectedFields(info, kind.typeName)) {
    const meta = upstreamOf(fields[name]?.extensions);
    if (meta?.loader) names.add(meta.loader);
    else if (kind.keyOnlyFields?.has(name)) names.add(kind.entityLoader);
  }
  return names;
}

const load = (loaders: Loaders, name: LoaderName, id: string): Promise<unknown> =>
  (loaders[name] as { load(id: string): Promise<unknown> }).load(id);

/** Creates the per-request existence checks over the request's loaders. */
export function createExistenceChecks(loaders: Loaders): ExistenceChecks {
  const wanted = new Map<string, Set<LoaderName>>();
  const probes = new Map<string, Promise<void>>();

  function probe(key: string, id: string, kind: EntityKind): Promise<void> {
    const names = wanted.get(key) ?? new Set<LoaderName>();
    const first = names.has(kind.entityLoader) ? kind.entityLoader : ([...names][0] ?? kind.entityLoader);
    return load(loaders, first, id).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof DefenderError && error.code === 'NOT_FOUND') {
          throw new DefenderError('NOT_FOUND', `No ${kind.label} with id "${id}" in Defender`, error.details);
        }
        // Other failures are reported by the fields that need the data, keeping siblings intact.
      },
    );
  }

  return {
    async check(id, info, kind = SOFTWARE_KIND) {
      // Ids of different types never share a probe: a machine id is not a software id.
      const key = `${kind.typeName}\u0000${id}`;
      const names = wanted.get(key) ?? new Set<LoaderName>();
      for (const name of loadersFor(info, kind)) names.add(name);
      wanted.set(key, names);
      // graphql-js starts sibling resolvers synchronously; one microtask later every sibling asking
      // about this id has said which calls it will make, so the probe can reuse one of them.
      await Promise.resolve();
      let pending = probes.get(key);
      if (!pending) {
        pending = probe(key, id, kind);
        probes.set(key, pending);
      }
      // Start every call the selection needs together with the probe instead of after it: one
      // round-trip of latency, not two. An unknown id then costs each selected call once (404s),
      // still within "one call per selected endpoint per distinct id".
      for (const name of wanted.get(key) ?? []) load(loaders, name, id).catch(() => undefined);
      return pending;
    },
  };
}
