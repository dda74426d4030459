import type { DefenderClient } from '../defender/client.js';
import type { Loaders } from '../loaders/index.js';
import type { ExistenceChecks } from './existence.js';

/** What every resolver gets. Built fresh per GraphQL operation. */
export interface Context {
  loaders: Loaders;
  existence: ExistenceChecks;
  requestId: string;
  /** For calls no per-id loader can serve (list pages); per-id data goes through `loaders`. */
  client: DefenderClient;
  /** Aborted when the HTTP request goes away; pass it to direct `client` calls. */
  signal?: AbortSignal;
}
