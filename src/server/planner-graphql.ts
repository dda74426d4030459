import { createRequire } from 'node:module';
import * as esm from 'graphql';

/** The graphql module API the planner uses. */
export type GraphQLModule = typeof esm;

const require = createRequire(import.meta.url);
let commonJs: GraphQLModule | undefined;

/**
 * The graphql module instance whose classes built `schema`. Node loads one copy (the CommonJS build,
 * as graphql 16 has no "exports" map, and vitest is aliased to match), but a loader that prefers the
 * "module" field (a bundler, plain Vite) gives our sources the ESM copy while @apollo/subgraph builds
 * the schema with the CommonJS one. graphql's type predicates, value coercion and yoga's error checks
 * use `instanceof`: through the other copy a list type is "not a list", arguments do not coerce and our
 * errors lose their HTTP status. So every graphql call on schema objects, and every error we hand to
 * yoga, goes through the module this returns.
 */
export function graphqlOf(schema: object): GraphQLModule {
  if (schema instanceof esm.GraphQLSchema) return esm;
  commonJs ??= require('graphql') as GraphQLModule;
  return schema instanceof commonJs.GraphQLSchema ? commonJs : esm;
}
