import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

// graphql loads as both ESM and CJS here (@apollo/subgraph builds part of the schema), so
// `isObjectType` & co. would reject half the types: inspect them by shape instead.
const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

interface Described {
  name: string;
  description?: string | null;
}
interface FieldLike extends Described {
  args?: readonly Described[];
}
interface TypeLike extends Described {
  getFields?: () => Record<string, FieldLike>;
  getValues?: () => readonly Described[];
}

/** Every schema element of our own that GraphiQL documents and lacks a description. */
function undocumented(): string[] {
  const missing: string[] = [];
  const need = (where: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(where);
  };
  for (const type of Object.values(schema.getTypeMap()) as TypeLike[]) {
    // Introspection (`__Type`), federation (`_Any`, `_Service`, `_Entity`) and built-in scalars.
    if (type.name.startsWith('_') || BUILT_IN.has(type.name)) continue;
    need(type.name, type.description);
    for (const field of Object.values(type.getFields?.() ?? {})) {
      if (field.name.startsWith('_')) continue;
      need(`${type.name}.${field.name}`, field.description);
      for (const arg of field.args ?? []) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
    }
    for (const value of type.getValues?.() ?? []) need(`${type.name}.${value.name}`, value.description);
  }
  return missing;
}

describe('schema documentation', () => {
  it('describes every type, field, argument and enum value (GraphiQL shows them)', () => {
    expect(Object.keys(schema.getTypeMap())).toEqual(
      expect.arrayContaining(['Machine', 'Vulnerability', 'Severity', 'SoftwareVersion', 'DateTime']),
    );
    expect(undocumented()).toEqual([]);
  });
});
