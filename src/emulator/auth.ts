import { EmulatorError } from './responses.js';
import { decodeJwtClaims } from './tokens.js';

/** Audiences Defender accepts (defender-api.md §1.3, §2); compared without a trailing slash. */
export const DEFAULT_AUDIENCES: readonly string[] = [
  'https://api.securitycenter.microsoft.com',
  'https://api.security.microsoft.com',
  'https://securitycenter.onmicrosoft.com/windowsatpservice',
  'https://api.securitycenter.microsoft.us',
  'https://api-gcc.securitycenter.microsoft.us',
  'https://api-gov.securitycenter.microsoft.us',
  'https://securitycenter.onmicrosoft.us/windowsatpservice',
].flatMap((aud) => [aud, `${aud}/`]);

/** What an endpoint requires: any app role (`roles` claim) or any delegated scope (`scp` claim). */
export interface Permission {
  app: readonly string[];
  delegated: readonly string[];
}

/** The authenticated caller. */
export interface Caller {
  claims: Record<string, unknown>;
  /** Quota bucket: tenant plus client app (`appid` on v1 tokens, `azp` on v2). */
  quotaKey: string;
}

const normalizeAudience = (aud: string): string => aud.replace(/\/+$/, '').toLowerCase();

/** Normalised audience set for {@link authenticate}. */
export function audienceSet(audiences: readonly string[]): ReadonlySet<string> {
  return new Set(audiences.map(normalizeAudience));
}

/**
 * Reads the bearer token without verifying its signature (the emulator has no keys to check against).
 * Missing, malformed, expired or not-yet-valid → 401 Unauthorized; a foreign audience → 403 Forbidden,
 * which is what Defender answers for tokens minted for another resource (§2).
 */
export function authenticate(header: string | null, audiences: ReadonlySet<string>, nowMs: number): Caller {
  if (!header) throw new EmulatorError('Unauthorized', 'Authorization header is missing');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const claims = match?.[1] ? decodeJwtClaims(match[1]) : null;
  if (!claims) throw new EmulatorError('Unauthorized', 'Authorization header is not a valid Bearer JWT');
  const nowSeconds = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
    throw new EmulatorError('Unauthorized', 'Authorization token is expired or has no exp claim');
  }
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) {
    throw new EmulatorError('Unauthorized', 'Authorization token is not valid yet (nbf is in the future)');
  }
  const tokenAudiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter(
    (aud): aud is string => typeof aud === 'string',
  );
  if (!tokenAudiences.some((aud) => audiences.has(normalizeAudience(aud)))) {
    throw new EmulatorError(
      'Forbidden',
      `Token audience '${tokenAudiences.join(', ')}' is not valid for this API`,
    );
  }
  const tenant = typeof claims.tid === 'string' ? claims.tid : 'unknown-tenant';
  const app = [claims.appid, claims.azp].find((v) => typeof v === 'string') ?? 'unknown-app';
  return { claims, quotaKey: `${tenant}|${app}` };
}

/** 403 Forbidden unless the token carries one of the app roles or delegated scopes. */
export function authorize(caller: Caller, permission: Permission): void {
  const roles = Array.isArray(caller.claims.roles) ? caller.claims.roles : [];
  const scopes = typeof caller.claims.scp === 'string' ? caller.claims.scp.split(' ') : [];
  if (permission.app.some((p) => roles.includes(p)) || permission.delegated.some((p) => scopes.includes(p))) {
    return;
  }
  const wanted = [
    permission.app.length > 0 ? `application permission ${permission.app.join(' or ')}` : '',
    permission.delegated.length > 0 ? `delegated permission ${permission.delegated.join(' or ')}` : '',
  ].filter(Boolean);
  throw new EmulatorError(
    'Forbidden',
    `The application does not have any of the required permissions: ${wanted.join(', or ')}`,
  );
}
