import { createRequire } from 'node:module';
import * as esm from 'graphql';

/** The graphql module API the planner uses. */
export type GraphQLModule = typeof esm;

const require = createRequire(import.meta.url);
let commonJs: GraphQLModule | undefined;

/**
 * The graphql module instance whose classes built `schema`. graphql is loaded both as ESM and as
 * CommonJS (@apollo/subgraph builds the subgraph schema with the CommonJS copy under some loaders), and
 * graphql's type predicates and value coercion use `instanceof`: asked through the other copy, a list
 * type is "not a list" and arguments do not coerce. Every graphql call on schema objects goes through
 * the module this returns.
 */
export function graphqlOf(schema: object): GraphQLModule {
  if (schema instanceof esm.GraphQLSchema) return esm;
  commonJs ??= require('graphql') as GraphQLModule;
  return schema instanceof commonJs.GraphQLSchema ? commonJs : esm;
}
