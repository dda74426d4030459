import { GraphQLError, Kind } from 'graphql';
import { ISO_DATE_TIME } from '../../defender/schemas.js';
import { builder } from '../builder.js';

function dateTimeText(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string' && ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) {
    return value;
  }
  throw new GraphQLError(
    `DateTime expects an RFC 3339 date-time with a time zone, got ${JSON.stringify(value)}`,
  );
}

/**
 * `DateTime`: an RFC 3339 date-time with a zone, passed through as Defender wrote it (no re-formatting,
 * so the answer equals the REST value; graphql-scalars would add milliseconds).
 */
export const DateTime = builder.scalarType('DateTime', {
  description:
    'An RFC 3339 date-time with a time zone, e.g. "2024-06-28T09:30:00Z", as Defender reports it (UTC).',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize: dateTimeText,
  parseValue: dateTimeText,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime literals are strings');
    return dateTimeText(ast.value);
  },
});
