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
  /** RFC 3339 text, passed through as Defender wrote it (src/schema/types/scalars.ts). */
  Scalars: { DateTime: { Input: string; Output: string } };
}>({
  plugins: [DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
});
