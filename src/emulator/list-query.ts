import { compileFilter, type RowPredicate } from './odata-filter.js';
import { EmulatorError } from './responses.js';

/** Parsed OData options of a list request. */
export interface ListQuery {
  filter: RowPredicate | null;
  top: number | null;
  skip: number;
  count: boolean;
}

/** Options of one list endpoint. */
export interface ListQueryRules {
  filterable: readonly string[];
  maxTop: number;
}

const KNOWN = new Set(['$filter', '$top', '$skip', '$select', '$count']);

const odataError = (message: string): EmulatorError => new EmulatorError('ODataError', message);

function nonNegativeInt(name: string, raw: string, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? 'a non-negative integer' : `an integer between 0 and ${max}`;
    throw odataError(`The value '${raw}' of query option '${name}' is invalid; it must be ${range}`);
  }
  return value;
}

/**
 * Validates the query string of a list request. Option names ignore case; `$select` is accepted and
 * ignored (Defender ignores it for some properties, §5); other `$` options and repeats → 400 ODataError.
 * Parameters without `$` are not OData options and pass through untouched.
 */
export function parseListQuery(params: URLSearchParams, rules: ListQueryRules): ListQuery {
  const seen = new Map<string, string>();
  for (const [rawName, value] of params) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('$')) continue;
    if (!KNOWN.has(name))
      throw odataError(`Query option '${rawName}' is not supported; use $filter, $top or $skip`);
    if (seen.has(name)) throw odataError(`Query option '${rawName}' was specified more than once`);
    seen.set(name, value);
  }
  const filter = seen.get('$filter');
  const top = seen.get('$top');
  const skip = seen.get('$skip');
  const count = seen.get('$count');
  if (count !== undefined && count !== 'true' && count !== 'false') {
    throw odataError(`The value '${count}' of query option '$count' is invalid; it must be true or false`);
  }
  return {
    filter: filter === undefined ? null : compileFilter(filter, rules.filterable),
    top: top === undefined ? null : nonNegativeInt('$top', top, rules.maxTop),
    skip: skip === undefined ? 0 : nonNegativeInt('$skip', skip, Number.MAX_SAFE_INTEGER),
    count: count === 'true',
  };
}

/** One page of a list plus what the envelope needs. */
export interface Page<T> {
  rows: T[];
  /** Rows matching the filter before paging, for `@odata.count`. */
  total: number;
  /** Offset of the next page when more rows remain and `$top` was not given (§5). */
  nextSkip: number | null;
}

/**
 * Applies filter and `$skip`, then takes `$top` rows (never paged, like Defender's machines list, §5)
 * or one server page with a next offset when more remain. Rows keep their stable dataset order.
 */
export function paginate<T extends object>(rows: readonly T[], query: ListQuery, pageSize: number): Page<T> {
  const matching = query.filter ? rows.filter((row) => query.filter?.(row as Record<string, unknown>)) : rows;
  const take = query.top ?? pageSize;
  const page = matching.slice(query.skip, query.skip + take);
  const more = query.top === null && query.skip + take < matching.length;
  return { rows: page, total: matching.length, nextSkip: more ? query.skip + take : null };
}

/**
 * The request URL with `$skip` set to `skip`, keeping every other parameter byte for byte, so the
 * link carries the same `$filter` however the client encoded it.
 */
export function nextLink(requestUrl: URL, skip: number): string {
  const parts = requestUrl.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '' && safeDecode(part.split('=')[0] ?? '').toLowerCase() !== '$skip');
  parts.push(`$skip=${skip}`);
  return `${requestUrl.origin}${requestUrl.pathname}?${parts.join('&')}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
