/**
 * OData v4 literal and filter helpers. Values are always quoted and escaped here, so user input can
 * never change a filter's structure (`'` doubles to `''`; nothing else is special inside a string literal).
 */

/** Quotes a string as an OData literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A comparison on one property; only the three properties Defender filters software on. */
export interface FieldFilter {
  equals?: string;
  notEquals?: string;
  startsWith?: string;
}

/** Joins the clauses for each property with `and`; returns undefined when there is nothing to filter. */
export function buildFilter(
  fields: Record<'id' | 'name' | 'vendor', FieldFilter | undefined>,
): string | undefined {
  const clauses: string[] = [];
  for (const [property, filter] of Object.entries(fields)) {
    if (!filter) continue;
    if (filter.equals !== undefined) clauses.push(`${property} eq ${odataString(filter.equals)}`);
    if (filter.notEquals !== undefined) clauses.push(`${property} ne ${odataString(filter.notEquals)}`);
    if (filter.startsWith !== undefined)
      clauses.push(`startswith(${property},${odataString(filter.startsWith)})`);
  }
  return clauses.length > 0 ? clauses.join(' and ') : undefined;
}
