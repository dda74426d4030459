/**
 * OData v4 literal and filter helpers. Values are always quoted and escaped here, so user input can
 * never change a filter's structure (`'` doubles to `''`; nothing else is special inside a string literal).
 * Percent-encoding of the finished expression is the URL builder's job (`buildApiUrl`), not this file's.
 */

/** Quotes a string as an OData literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A comparison on one property; only the three properties Defender filters software on. */
export interface FieldFilter {
  /** `property eq 'value'`. */
  equals?: string | null;
  /** `property ne 'value'`. */
  notEquals?: string | null;
  /** `startswith(property,'value')`. */
  startsWith?: string | null;
}

/** The properties `GET /api/Software` documents as filterable (defender-api.md §3.1 row 1). */
export const SOFTWARE_FILTER_PROPERTIES = ['id', 'name', 'vendor'] as const;

/** One of {@link SOFTWARE_FILTER_PROPERTIES}. */
export type SoftwareFilterProperty = (typeof SOFTWARE_FILTER_PROPERTIES)[number];

/**
 * Joins the clauses for each property with `and`; returns undefined when there is nothing to filter.
 * Properties and operators come out in one fixed order whatever the input's key order, so the same
 * filter always yields the same string (cursors compare a hash of it). Null and undefined mean "not set".
 */
export function buildFilter(
  fields: Partial<Record<SoftwareFilterProperty, FieldFilter | null | undefined>>,
): string | undefined {
  const clauses: string[] = [];
  for (const property of SOFTWARE_FILTER_PROPERTIES) {
    const filter = fields[property];
    if (!filter) continue;
    if (filter.equals != null) clauses.push(`${property} eq ${odataString(filter.equals)}`);
    if (filter.notEquals != null) clauses.push(`${property} ne ${odataString(filter.notEquals)}`);
    if (filter.startsWith != null) clauses.push(`startswith(${property},${odataString(filter.startsWith)})`);
  }
  return clauses.length > 0 ? clauses.join(' and ') : undefined;
}
