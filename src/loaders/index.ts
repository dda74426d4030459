import DataLoader from 'dataloader';
import type { DefenderClient } from '../defender/client.js';
import type { Fetched } from '../defender/http.js';
import type { MissingKbDto, SoftwareDto } from '../defender/types.js';
import { mapSettled } from './concurrency.js';

/** Per-request loaders: one instance per GraphQL operation, so nothing is shared across callers. */
export interface Loaders {
  /** `GET /api/Software/{id}`. */
  software: DataLoader<string, Fetched<SoftwareDto>>;
  /** `GET /api/Software/{id}/getmissingkbs`. */
  missingKbs: DataLoader<string, Fetched<MissingKbDto[]>>;
}

/** Options of {@link createLoaders}. */
export interface LoaderOptions {
  /** Calls in flight per batch; Defender has no batch endpoint, so a batch fans out. @default 10 */
  maxConcurrency?: number;
  /** Aborts in-flight calls when the GraphQL request goes away. */
  signal?: AbortSignal;
}

/**
 * Creates the loaders of one request. Each batch function makes one call per distinct key (DataLoader
 * dedupes keys within the request) and reports failures per key, so one bad id never fails its siblings.
 */
export function createLoaders(client: DefenderClient, options: LoaderOptions = {}): Loaders {
  const limit = options.maxConcurrency ?? 10;
  const { signal } = options;
  const fanOut =
    <V>(call: (id: string) => Promise<V>) =>
    (ids: readonly string[]) =>
      mapSettled(ids, limit, call);
  return {
    software: new DataLoader(fanOut((id) => client.getSoftware(id, signal))),
    missingKbs: new DataLoader(fanOut((id) => client.getMissingKbs(id, signal))),
  };
}
