import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createMsalTokenProvider, type MsalProviderOptions } from '../../src/auth/msal-provider.js';
import { TokenAcquisitionError } from '../../src/auth/token-provider.js';
import {
  type LocalAuthority,
  type LocalAuthorityOptions,
  startLocalAuthority,
} from '../helpers/authority.js';

const TENANT = 'tenant-1';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SECRET = 'S3cr3t~value.that-must-not-leak';
const SCOPE = 'https://api.securitycenter.microsoft.com/.default';
const DISCOVERY = `GET /${TENANT}/v2.0/.well-known/openid-configuration`;
const TOKEN = `POST /${TENANT}/oauth2/v2.0/token`;

const authorities: LocalAuthority[] = [];
afterEach(async () => {
  await Promise.all(authorities.splice(0).map((a) => a.close()));
});

async function authority(options: LocalAuthorityOptions = {}) {
  const a = await startLocalAuthority({ clients: { [CLIENT_ID]: { secret: SECRET } }, ...options });
  authorities.push(a);
  return a;
}

/** A fetch that records every URL before delegating to the real one. */
function recordingFetch() {
  const urls: string[] = [];
  const fn: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { urls, fetch: fn };
}

function provider(a: LocalAuthority, overrides: Partial<MsalProviderOptions> = {}) {
  const rec = recordingFetch();
  const tokens = createMsalTokenProvider({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    credential: { kind: 'secret', secret: SECRET },
    authorityHost: a.url,
    scope: SCOPE,
    fetch: rec.fetch,
    ...overrides,
  });
  return { tokens, urls: rec.urls };
}

const calls = (a: LocalAuthority) => a.requests.map((r) => `${r.method} ${r.path}`);

async function rejection(promise: Promise<unknown>): Promise<TokenAcquisitionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenAcquisitionError);
  return err as TokenAcquisitionError;
}

describe('msal token provider: client secret against a local http authority', () => {
  it('acquires a token with the exact form fields and contacts only the authority origin', async () => {
    const a = await authority();
    const { tokens, urls } = provider(a);
    const token = await tokens.getToken();
    expect(calls(a)).toEqual([DISCOVERY, TOKEN]);
    expect(a.requests[1]?.form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      scope: SCOPE,
    });
    expect(token).toBe(a.tokensIssued[0]);
    expect(decodeJwt(token)).toMatchObject({
      aud: 'https://api.securitycenter.microsoft.com',
      appid: CLIENT_ID,
    });
    expect(urls).toHaveLength(2);
    for (const url of urls) expect(new URL(url).origin).toBe(a.url);
  });

  it('serves the second call from cache and makes exactly one request on forceRefresh', async () => {
    const a = await authority();
    const { tokens } = provider(a);
    const first = await tokens.getToken();
    const second = await tokens.getToken();
    expect(second).toBe(first);
    expect(calls(a)).toEqual([DISCOVERY, TOKEN]);
    const refreshed = await tokens.getToken({ forceRefresh: true });
    expect(calls(a)).toEqual([DISCOVERY, TOKEN, TOKEN]);
    expect(refreshed).not.toBe(first);
    expect(await tokens.getToken()).toBe(refreshed);
    expect(a.requests).toHaveLength(3);
  });

  it('makes one token request for concurrent first calls, and one for concurrent forced refreshes', async () => {
    const a = await authority();
    const { tokens } = provider(a);
    const results = await Promise.all(Array.from({ length: 8 }, () => tokens.getToken()));
    expect(new Set(results).size).toBe(1);
    expect(calls(a)).toEqual([DISCOVERY, TOKEN]);
    const forced = await Promise.all(
      Array.from({ length: 5 }, () => tokens.getToken({ forceRefresh: true })),
    );
    expect(new Set(forced).size).toBe(1);
    expect(calls(a)).toEqual([DISCOVERY, TOKEN, TOKEN]);
  });

  it('fetches a new token when the cached one is within msal’s 5-minute renewal window', async () => {
    const a = await authority({ expiresIn: 120 });
    const { tokens } = provider(a);
    const first = await tokens.getToken();
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(calls(a)).toEqual([DISCOVERY, TOKEN, TOKEN]);
  });

  it('accepts an authorityHost with a trailing slash or a trailing tenant segment', async () => {
    const a = await authority();
    for (const authorityHost of [`${a.url}/`, `${a.url}/${TENANT}/`]) {
      a.requests.length = 0;
      const { tokens, urls } = provider(a, { authorityHost });
      await expect(tokens.getToken()).resolves.toMatch(/^ey/);
      expect(calls(a)).toEqual([DISCOVERY, TOKEN]);
      for (const url of urls) expect(url).not.toContain(`//${TENANT}`);
    }
  });

  it('falls back to the Entra endpoint convention when openid-configuration is not served', async () => {
    const a = await authority({ discovery: false });
    const { tokens, urls } = provider(a);
    expect(await tokens.getToken()).toBe(a.tokensIssued[0]);
    expect(await tokens.getToken()).toBe(a.tokensIssued[0]);
    expect(calls(a)).toEqual([DISCOVERY, TOKEN]);
    for (const url of urls) expect(new URL(url).origin).toBe(a.url);
  });

  it('reports an invalid secret as TOKEN_INVALID_CLIENT with the AADSTS code but no secret or upstream text', async () => {
    const a = await authority();
    const wrong = 'Wr0ng~secret.value-xyz';
    const { tokens } = provider(a, { credential: { kind: 'secret', secret: wrong } });
    const err = await rejection(tokens.getToken());
    expect(err.code).toBe('TOKEN_INVALID_CLIENT');
    expect(err.aadstsCodes).toEqual([7000215]);
    expect(err.message).toContain('AADSTS7000215');
    for (const leaked of [wrong, SECRET, 'Trace ID', 'Invalid client secret provided']) {
      expect(err.message).not.toContain(leaked);
      expect(JSON.stringify(err)).not.toContain(leaked);
    }
    expect(err.cause).toBeUndefined();
  });

  it('reports a success response without access_token as TOKEN_EMPTY, then recovers', async () => {
    const a = await authority();
    const { tokens } = provider(a);
    a.setFailure('no_access_token');
    expect((await rejection(tokens.getToken())).code).toBe('TOKEN_EMPTY');
    a.setFailure(null);
    expect(await tokens.getToken()).toBe(a.tokensIssued[0]);
    expect(calls(a)).toEqual([DISCOVERY, TOKEN, TOKEN]);
  });

  it('reports a server error as TOKEN_FAILED; msal then throttles locally without a request', async () => {
    const a = await authority();
    const { tokens } = provider(a);
    a.setFailure('server_error');
    const err = await rejection(tokens.getToken());
    expect(err).toMatchObject({ code: 'TOKEN_FAILED', status: 500, aadstsCodes: [50000] });
    a.setFailure(null);
    const throttled = await rejection(tokens.getToken());
    expect(throttled).toMatchObject({ code: 'TOKEN_FAILED', upstreamError: 'throttled' });
    expect(calls(a)).toEqual([DISCOVERY, TOKEN]);
  });

  it('reports a down authority as TOKEN_AUTHORITY_UNREACHABLE and rediscovers once it is back', async () => {
    const a = await authority();
    const port = Number(new URL(a.url).port);
    await a.close();
    authorities.splice(authorities.indexOf(a), 1);
    const { tokens, urls } = provider(a);
    const err = await rejection(tokens.getToken());
    expect(err.code).toBe('TOKEN_AUTHORITY_UNREACHABLE');
    expect(err.message).toContain('ECONNREFUSED');
    const back = await authority({ port });
    expect(await tokens.getToken()).toBe(back.tokensIssued[0]);
    expect(calls(back)).toEqual([DISCOVERY, TOKEN]);
    for (const url of urls) expect(new URL(url).origin).toBe(a.url);
  });

  it('rejects with the abort reason when the caller aborts, without breaking the shared request', async () => {
    const a = await authority();
    const { tokens } = provider(a);
    const controller = new AbortController();
    const aborted = tokens.getToken({ signal: controller.signal });
    const other = tokens.getToken();
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    expect(await other).toBe(a.tokensIssued[0]);
    await expect(tokens.getToken({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('describes itself and logs without secrets or tokens', async () => {
    const a = await authority();
    const logs: unknown[] = [];
    const logger = {
      info: (obj: object, msg?: string) => logs.push(obj, msg),
      warn: (obj: object, msg?: string) => logs.push(obj, msg),
    };
    const { tokens } = provider(a, { logger });
    expect(tokens.description).toBe(`client secret for app 11111111… at ${a.url}`);
    const token = await tokens.getToken();
    expect(logs.length).toBeGreaterThan(0);
    const text = JSON.stringify(logs);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(token);
  });

  it('does not contact the authority at construction', async () => {
    const a = await authority();
    provider(a);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.requests).toHaveLength(0);
  });
});
