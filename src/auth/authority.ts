/**
 * Turns `authorityHost` + tenant into msal authority settings that never make msal contact a host other than
 * the configured one.
 *
 * msal-node 7 rejects http:// authorities (`authority_uri_insecure`) and, for hosts it does not know, runs
 * instance discovery against login.microsoftonline.com. So for anything but the Microsoft clouds we:
 * fetch the OpenID configuration ourselves, then give msal an https:// form of the host (never contacted),
 * `knownAuthorities: [host]` (skips instance discovery) and `authorityMetadata` (skips its own discovery; msal
 * does not validate the issuer of config-supplied metadata, so an http issuer is harmless).
 */
import { TokenAcquisitionError } from './token-provider.js';

/** Microsoft cloud login hosts for which msal ships endpoint or instance-discovery metadata. */
export const KNOWN_MICROSOFT_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** A parsed `authorityHost` for one tenant. */
export interface AuthorityTarget {
  /** `scheme://host[:port]` plus optional path prefix, no trailing slash; safe for logs. */
  base: string;
  /** `host[:port]` as msal's knownAuthorities wants it. */
  hostAndPort: string;
  /** `base/tenant`: the Entra-style tenant root. */
  tenantBase: string;
  /** Path prefix between host and tenant ('' or '/prefix'). */
  pathPrefix: string;
  tenantId: string;
  /** True for an https Microsoft cloud host without prefix: msal's built-in metadata applies. */
  known: boolean;
}

/** The msal `auth` settings for an authority, and how they were obtained. */
export interface MsalAuthoritySettings {
  authority: string;
  knownAuthorities?: string[];
  authorityMetadata?: string;
  source: 'builtin' | 'discovery' | 'fallback';
  /**
   * False when discovery failed transiently (network error, 5xx) and the Entra convention was guessed:
   * the caller should discover again if the token request fails too.
   */
  definitive: boolean;
}

/**
 * Parses `authorityHost` (may have a trailing slash, a path prefix, or already end in the tenant id).
 * @param authorityHost - e.g. https://login.microsoftonline.com or http://127.0.0.1:5555/
 * @param tenantId - directory (tenant) id or domain
 * @throws TokenAcquisitionError TOKEN_CONFIG_INVALID
 */
export function parseAuthorityHost(authorityHost: string, tenantId: string): AuthorityTarget {
  let url: URL;
  try {
    url = new URL(authorityHost.trim());
  } catch {
    throw new TokenAcquisitionError('TOKEN_CONFIG_INVALID', `authorityHost is not a URL: ${authorityHost}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TokenAcquisitionError('TOKEN_CONFIG_INVALID', `authorityHost must be http(s): ${url.origin}`);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  // Accept a full authority URL ("…/<tenant>") as well as a bare host.
  if (segments.at(-1)?.toLowerCase() === tenantId.toLowerCase()) segments.pop();
  const pathPrefix = segments.length > 0 ? `/${segments.join('/')}` : '';
  const base = `${url.origin}${pathPrefix}`;
  return {
    base,
    hostAndPort: url.host,
    tenantBase: `${base}/${encodeURIComponent(tenantId)}`,
    pathPrefix,
    tenantId,
    known:
      url.protocol === 'https:' && pathPrefix === '' && KNOWN_MICROSOFT_HOSTS.has(url.hostname.toLowerCase()),
  };
}

/**
 * Resolves msal authority settings; for non-Microsoft hosts this fetches the OpenID configuration through `fetchFn`
 * (only to `target`'s host) and falls back to the Entra endpoint convention when it is unavailable.
 * @param target - parsed authority
 * @param fetchFn - the injected fetch
 * @param timeoutMs - discovery request timeout
 * @param warn - receives a secret-free note when falling back
 */
export async function resolveMsalAuthority(
  target: AuthorityTarget,
  fetchFn: typeof fetch,
  timeoutMs: number,
  warn?: (obj: object, msg: string) => void,
): Promise<MsalAuthoritySettings> {
  if (target.known) {
    return {
      authority: `https://${target.hostAndPort}/${encodeURIComponent(target.tenantId)}`,
      source: 'builtin',
      definitive: true,
    };
  }
  // msal only needs an https URL with the right host to key its caches; it never requests it.
  const settings = {
    authority: `https://${target.hostAndPort}${target.pathPrefix}/${encodeURIComponent(target.tenantId)}`,
    knownAuthorities: [target.hostAndPort],
  };
  const conventional = {
    token_endpoint: `${target.tenantBase}/oauth2/v2.0/token`,
    authorization_endpoint: `${target.tenantBase}/oauth2/v2.0/authorize`,
  };
  const discoveryUrl = `${target.tenantBase}/v2.0/.well-known/openid-configuration`;
  const outcome = await discover(discoveryUrl, fetchFn, timeoutMs);
  if (outcome.metadata) {
    // authorization_endpoint is required by msal even though client credentials never use it.
    const metadata = { ...conventional, ...outcome.metadata };
    return {
      ...settings,
      authorityMetadata: JSON.stringify(metadata),
      source: 'discovery',
      definitive: true,
    };
  }
  warn?.(
    { discoveryUrl, reason: outcome.reason },
    'OpenID discovery unavailable; using Entra endpoint convention',
  );
  return {
    ...settings,
    authorityMetadata: JSON.stringify(conventional),
    source: 'fallback',
    definitive: outcome.definitive,
  };
}

interface DiscoveryOutcome {
  metadata?: Record<string, string>;
  reason?: string;
  definitive: boolean;
}

async function discover(
  discoveryUrl: string,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<DiscoveryOutcome> {
  let response: Response;
  try {
    response = await fetchFn(discoveryUrl, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { reason: `network error: ${(err as Error).name}`, definitive: false };
  }
  // A 4xx is a clear "not served here"; a 5xx may be transient.
  const definitive = response.status < 500;
  if (!response.ok) return { reason: `HTTP ${response.status}`, definitive };
  let doc: unknown;
  try {
    doc = await response.json();
  } catch {
    return { reason: 'response is not JSON', definitive };
  }
  const metadata = pickEndpoints(doc);
  if (!metadata) return { reason: 'no usable token_endpoint', definitive };
  return { metadata, definitive: true };
}

/** Keeps only the fields msal reads, and only if they are http(s) URLs. */
function pickEndpoints(doc: unknown): Record<string, string> | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const record = doc as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const field of [
    'token_endpoint',
    'authorization_endpoint',
    'issuer',
    'jwks_uri',
    'end_session_endpoint',
  ]) {
    const value = record[field];
    if (typeof value === 'string' && /^https?:\/\/\S+$/i.test(value)) out[field] = value;
  }
  return out.token_endpoint ? out : undefined;
}
