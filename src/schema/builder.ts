import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { Context } from './context.js';

/**
 * The one Pothos builder. Fields are non-null unless they say otherwise, because Defender's documented
 * fields are always present and GraphQL clients deserve precise types.
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
});
