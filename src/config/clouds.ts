/**
 * Defender endpoints per cloud (defender-api.md §1.3) and regional hosts (§1.2).
 * The gov-cloud token scope is undocumented; like Microsoft's msticpy we default to `<api host>/.default`
 * and let `DEFENDER_SCOPE` override it (the `securitycenter.onmicrosoft.{com,us}/windowsatpservice` forms).
 */

/** Supported `DEFENDER_CLOUD` values. */
export const CLOUDS = ['public', 'gcc', 'gcc-high', 'dod'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Supported `DEFENDER_REGION` values (commercial cloud only). `aea` appears in 2025–26 docs. */
export const REGIONS = ['us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea'] as const;
export type Region = (typeof REGIONS)[number];

/** What a cloud fixes: where to log in, which API host to call and which scope to request. */
export interface CloudProfile {
  authorityHost: string;
  apiUrl: string;
  scope: string;
}

const PROFILES: Record<Cloud, CloudProfile> = {
  public: {
    authorityHost: 'https://login.microsoftonline.com',
    apiUrl: 'https://api.security.microsoft.com',
    // The documented audience; tokens for api.security.microsoft.com get 403 on some APIs (§2).
    scope: 'https://api.securitycenter.microsoft.com/.default',
  },
  gcc: {
    authorityHost: 'https://login.microsoftonline.com',
    apiUrl: 'https://api-gcc.securitycenter.microsoft.us',
    scope: 'https://api-gcc.securitycenter.microsoft.us/.default',
  },
  'gcc-high': {
    authorityHost: 'https://login.microsoftonline.us',
    apiUrl: 'https://api-gov.securitycenter.microsoft.us',
    scope: 'https://api-gov.securitycenter.microsoft.us/.default',
  },
  dod: {
    authorityHost: 'https://login.microsoftonline.us',
    apiUrl: 'https://api-gov.securitycenter.microsoft.us',
    scope: 'https://api-gov.securitycenter.microsoft.us/.default',
  },
};

/**
 * Resolves the profile of a cloud, applying a regional API host when one is given.
 * Regions exist only for the commercial cloud; the caller validates that combination.
 */
export function cloudProfile(cloud: Cloud, region?: Region): CloudProfile {
  const profile = PROFILES[cloud];
  if (!region) return profile;
  return { ...profile, apiUrl: `https://${region}.api.security.microsoft.com` };
}
