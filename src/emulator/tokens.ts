/** Tenant and app ids the demo token carries; quotas are keyed on them like on real tokens. */
export const DEMO_TENANT_ID = '00000000-0000-4000-8000-00000000d3e0';
export const DEMO_APP_ID = '00000000-0000-4000-8000-0000000a99d0';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An unsigned JWT (`alg: none`, empty signature). Only the emulator accepts it: it reads claims without
 * verifying signatures, which is what lets demo mode and tests run without Entra ID.
 */
export function mintUnsignedToken(claims: Record<string, unknown>): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
}

/**
 * Claims of an application token with every read permission the software endpoints need.
 * @param now clock in milliseconds (like `Date.now()`); `exp` is one hour later, in seconds.
 */
export function demoTokenClaims(now: number = Date.now()): Record<string, unknown> {
  const iat = Math.floor(now / 1000);
  return {
    aud: 'https://api.securitycenter.microsoft.com',
    iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
    iat,
    nbf: iat,
    exp: iat + 3600,
    tid: DEMO_TENANT_ID,
    appid: DEMO_APP_ID,
    oid: DEMO_APP_ID,
    sub: DEMO_APP_ID,
    idtyp: 'app',
    ver: '1.0',
    roles: ['Software.Read.All', 'Vulnerability.Read.All', 'Machine.Read.All'],
  };
}

/** Claims of a bearer token, or null when the value is not a three-part JWT with a JSON object payload. */
export function decodeJwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1] || !/^[\w-]*$/.test(parts[1])) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
