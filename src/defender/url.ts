import { DefenderError } from './errors.js';

/** Query parameters; undefined values are left out. */
export type Query = Record<string, string | number | undefined>;

/**
 * Builds `<apiRoot>/<seg1>/<seg2>…?query` with every segment percent-encoded on its own, so an id such as
 * `../machines` or `a/b?x` stays one opaque segment. `.` and `..` cannot be sent safely at all (URL
 * parsers collapse them even when encoded as `%2e`), so they are rejected, and the result is checked
 * against the intended path as a second line of defence.
 */
export function buildApiUrl(apiRoot: string, segments: readonly string[], query: Query = {}): URL {
  const encoded = segments.map((segment) => {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new DefenderError('BAD_USER_INPUT', `"${segment}" cannot be used as a path segment`);
    }
    return encodeURIComponent(segment);
  });
  const root = new URL(apiRoot);
  const basePath = root.pathname.replace(/\/+$/, '');
  const url = new URL(root.origin);
  url.pathname = `${basePath}/${encoded.join('/')}`;
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  if (url.pathname !== `${basePath}/${encoded.join('/')}`) {
    throw new DefenderError('BAD_USER_INPUT', 'The id does not form a safe Defender path');
  }
  return url;
}

/**
 * Accepts an `@odata.nextLink` only when it points under the same API root, so a bearer token is never
 * sent to a host or path that the upstream response chose.
 */
export function checkNextLink(apiRoot: string, nextLink: string): URL {
  const root = new URL(apiRoot);
  let url: URL;
  try {
    url = new URL(nextLink, root);
  } catch {
    throw new DefenderError('UPSTREAM_BAD_RESPONSE', 'Defender returned an unreadable @odata.nextLink');
  }
  const basePath = `${root.pathname.replace(/\/+$/, '')}/`.toLowerCase();
  if (url.origin !== root.origin || !url.pathname.toLowerCase().startsWith(basePath)) {
    throw new DefenderError(
      'UPSTREAM_BAD_RESPONSE',
      'Defender returned an @odata.nextLink outside the API root',
    );
  }
  return url;
}
