import { DefenderError } from '../defender/errors.js';

/** Longest id accepted; Defender ids are far shorter, and this bounds URL and log sizes. */
export const MAX_ID_LENGTH = 512;

/**
 * Rejects ids that no Defender entity can have before any call is made: empty, `.`/`..` (which URLs
 * cannot carry as a segment), control characters, or absurd lengths. Anything else is sent, encoded,
 * and Defender decides (404 → NOT_FOUND).
 */
export function validateId(id: string, what = 'software id'): string {
  if (id.length === 0) throw new DefenderError('BAD_USER_INPUT', `The ${what} must not be empty`);
  if (id.length > MAX_ID_LENGTH) {
    throw new DefenderError('BAD_USER_INPUT', `The ${what} is longer than ${MAX_ID_LENGTH} characters`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(id)) {
    throw new DefenderError('BAD_USER_INPUT', `The ${what} contains control characters`);
  }
  if (id === '.' || id === '..') throw new DefenderError('BAD_USER_INPUT', `"${id}" is not a valid ${what}`);
  return id;
}
