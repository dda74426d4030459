import { createHash } from 'node:crypto';
import { DefenderError } from '../defender/errors.js';

/**
 * Opaque connection cursors: base64url of a versioned JSON `{v, k, skip, f}`, where `skip` is the
 * upstream `$skip` of the row after the edge, `k` names the connection and `f` fingerprints the
 * `$filter` the cursor was issued under. A cursor grants nothing a client could not ask for with
 * another `after`, so it is not signed; it is validated so a tampered, foreign or stale cursor is a
 * clear BAD_USER_INPUT instead of a silently different page.
 */

/** Current cursor format version; bump it when the payload changes meaning. */
export const CURSOR_VERSION = 1;

/** Longest cursor accepted; ours are about 60 characters, so this only stops junk early. */
export const MAX_CURSOR_LENGTH = 256;

/** What a cursor carries. */
export interface CursorPayload {
  /** Upstream offset of the first row after the edge the cursor belongs to. */
  skip: number;
  /** {@link filterFingerprint} of the `$filter` the cursor was issued under. */
  filter: string;
}

/** Short stable fingerprint of a `$filter` expression (undefined = no filter). Not a secret. */
export function filterFingerprint(filter: string | undefined): string {
  return createHash('sha256')
    .update(filter ?? '')
    .digest('base64url')
    .slice(0, 16);
}

/** Encodes a cursor of connection `kind` (e.g. `software`). */
export function encodeCursor(kind: string, payload: CursorPayload): string {
  const json = JSON.stringify({ v: CURSOR_VERSION, k: kind, skip: payload.skip, f: payload.filter });
  return Buffer.from(json, 'utf8').toString('base64url');
}

const invalid = (why: string) =>
  new DefenderError('BAD_USER_INPUT', `Invalid cursor in "after": ${why}; use a cursor this API returned`);

function parsePayload(cursor: string): Record<string, unknown> {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid('not a cursor');
  }
  const bytes = Buffer.from(cursor, 'base64url');
  // Node's decoder skips stray bits; a cursor that does not re-encode identically was not ours.
  if (bytes.toString('base64url') !== cursor) throw invalid('not a cursor');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('not a cursor');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('not a cursor');
  return value as Record<string, unknown>;
}

/**
 * Decodes and checks a cursor for connection `kind` issued under the filter with fingerprint
 * `expectedFilter`; returns the `$skip` to continue from. Throws BAD_USER_INPUT otherwise.
 */
export function decodeCursor(kind: string, cursor: string, expectedFilter: string): number {
  const payload = parsePayload(cursor);
  if (payload.v !== CURSOR_VERSION) throw invalid('unsupported cursor version');
  if (payload.k !== kind) throw invalid(`not a cursor of this list`);
  const { skip, f } = payload;
  if (typeof skip !== 'number' || !Number.isSafeInteger(skip) || skip < 0) throw invalid('not a cursor');
  if (typeof f !== 'string') throw invalid('not a cursor');
  if (f !== expectedFilter) throw invalid('it was issued for a different filter');
  return skip;
}
