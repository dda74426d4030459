import type { Loaders } from '../loaders/index.js';
import type { ExistenceChecks } from './existence.js';

/** What every resolver gets. Built fresh per GraphQL operation. */
export interface Context {
  loaders: Loaders;
  existence: ExistenceChecks;
  requestId: string;
}
