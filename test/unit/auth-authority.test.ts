import { describe, expect, it } from 'vitest';
import { parseAuthorityHost, resolveMsalAuthority } from '../../src/auth/authority.js';
import { createMsalTokenProvider } from '../../src/auth/msal-provider.js';
import { TokenAcquisitionError } from '../../src/auth/token-provider.js';

/** A scripted fetch: records URLs and answers from `respond`. */
function fakeFetch(respond: (url: URL, init?: RequestInit) => Response | Promise<Response>) {
  const urls: string[] = [];
  const fn: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    urls.push(`${init?.method ?? 'GET'} ${url.origin}${url.pathname}`);
    return respond(url, init);
  };
  return { fetch: fn, urls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('parseAuthorityHost', () => {
  it('normalizes trailing slashes, path prefixes and a trailing tenant segment', () => {
    expect(parseAuthorityHost('https://login.microsoftonline.com/', 't1')).toMatchObject({
      base: 'https://login.microsoftonline.com',
      tenantBase: 'https://login.microsoftonline.com/t1',
      known: true,
    });
    expect(parseAuthorityHost('http://127.0.0.1:5555/T1/', 't1')).toMatchObject({
      base: 'http://127.0.0.1:5555',
      hostAndPort: '127.0.0.1:5555',
      known: false,
    });
    expect(parseAuthorityHost('https://idp.example/prefix//', 't1')).toMatchObject({
      base: 'https://idp.example/prefix',
      tenantBase: 'https://idp.example/prefix/t1',
      pathPrefix: '/prefix',
    });
    // A Microsoft host with a prefix or over http is not msal's built-in cloud.
    expect(parseAuthorityHost('http://login.microsoftonline.com', 't1').known).toBe(false);
    expect(parseAuthorityHost('https://LOGIN.microsoftonline.us', 't1').known).toBe(true);
  });

  it('rejects non-URLs and non-http schemes with TOKEN_CONFIG_INVALID', () => {
    expect(() => parseAuthorityHost('login.microsoftonline.com', 't')).toThrow(TokenAcquisitionError);
    expect(() => parseAuthorityHost('ftp://x', 't')).toThrow(/http\(s\)/);
  });
});

describe('resolveMsalAuthority', () => {
  const target = parseAuthorityHost('http://127.0.0.1:9/', 'tid');

  it('uses built-in metadata for Microsoft clouds without any request', async () => {
    const { fetch, urls } = fakeFetch(() => json({}));
    const settings = await resolveMsalAuthority(
      parseAuthorityHost('https://login.microsoftonline.us', 'tid'),
      fetch,
      1000,
    );
    expect(settings).toEqual({
      authority: 'https://login.microsoftonline.us/tid',
      source: 'builtin',
      definitive: true,
    });
    expect(urls).toEqual([]);
  });

  it('builds an https authority + knownAuthorities + metadata from discovery, filling a missing authorization_endpoint', async () => {
    const { fetch, urls } = fakeFetch(() =>
      json({ token_endpoint: 'http://127.0.0.1:9/tid/token', issuer: 'http://127.0.0.1:9/tid' }),
    );
    const settings = await resolveMsalAuthority(target, fetch, 1000);
    expect(urls).toEqual(['GET http://127.0.0.1:9/tid/v2.0/.well-known/openid-configuration']);
    expect(settings).toMatchObject({
      authority: 'https://127.0.0.1:9/tid',
      knownAuthorities: ['127.0.0.1:9'],
      source: 'discovery',
      definitive: true,
    });
    expect(JSON.parse(settings.authorityMetadata ?? '')).toEqual({
      token_endpoint: 'http://127.0.0.1:9/tid/token',
      authorization_endpoint: 'http://127.0.0.1:9/tid/oauth2/v2.0/authorize',
      issuer: 'http://127.0.0.1:9/tid',
    });
  });

  it.each([
    ['a 404', () => json({ error: 'not_found' }, 404), true],
    ['a document without token_endpoint', () => json({ issuer: 'x' }), true],
    ['a 503', () => json({}, 503), false],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), false],
  ])('falls back to the Entra convention on %s', async (_label, respond, definitive) => {
    const warnings: unknown[] = [];
    const { fetch } = fakeFetch(respond);
    const settings = await resolveMsalAuthority(target, fetch, 1000, (obj) => warnings.push(obj));
    expect(settings.source).toBe('fallback');
    expect(settings.definitive).toBe(definitive);
    expect(JSON.parse(settings.authorityMetadata ?? '')).toEqual({
      token_endpoint: 'http://127.0.0.1:9/tid/oauth2/v2.0/token',
      authorization_endpoint: 'http://127.0.0.1:9/tid/oauth2/v2.0/authorize',
    });
    expect(warnings).toHaveLength(1);
  });
});

describe('msal provider against Microsoft cloud hosts (scripted fetch)', () => {
  const tokenResponse = () =>
    json({ token_type: 'Bearer', expires_in: 3599, access_token: 'header.payload.sig' });

  it.each(['https://login.microsoftonline.com', 'https://login.microsoftonline.us/'])(
    '%s: only the token POST is made (no instance discovery, no region lookup)',
    async (authorityHost) => {
      const { fetch, urls } = fakeFetch(tokenResponse);
      const tokens = createMsalTokenProvider({
        tenantId: 'tid',
        clientId: 'cid',
        credential: { kind: 'secret', secret: 'shh-secret' },
        authorityHost,
        scope: 'https://api-gov.securitycenter.microsoft.us/.default',
        fetch,
      });
      expect(await tokens.getToken()).toBe('header.payload.sig');
      const host = new URL(authorityHost).origin;
      expect(urls).toEqual([`POST ${host}/tid/oauth2/v2.0/token`]);
    },
  );

  it('https://login.chinacloudapi.cn: msal posts to its preferred alias login.partner.microsoftonline.cn', async () => {
    // Both hosts are the same Microsoft cloud; msal's built-in alias table routes the legacy name to the new one.
    const { fetch, urls } = fakeFetch(tokenResponse);
    const tokens = createMsalTokenProvider({
      tenantId: 'tid',
      clientId: 'cid',
      credential: { kind: 'secret', secret: 'shh-secret' },
      authorityHost: 'https://login.chinacloudapi.cn',
      scope: 'https://api.securitycenter.microsoft.com/.default',
      fetch,
    });
    expect(await tokens.getToken()).toBe('header.payload.sig');
    expect(urls).toEqual(['POST https://login.partner.microsoftonline.cn/tid/oauth2/v2.0/token']);
  });
});
