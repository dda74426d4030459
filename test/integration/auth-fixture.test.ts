import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalAuthority, startLocalAuthority } from '../helpers/authority.js';

let a: LocalAuthority | undefined;
afterEach(async () => {
  await a?.close();
});

const post = (url: string, form: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(form) });

describe('local authority fixture', () => {
  it('issues v1 (resource) tokens verifiable with its JWKS, with Entra-style claims', async () => {
    a = await startLocalAuthority({
      clients: { app: { secret: 's' } },
      roles: ['Software.Read.All'],
      expiresIn: 600,
    });
    const res = await post(`${a.url}/tid/oauth2/token`, {
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 's',
      resource: 'https://api.securitycenter.microsoft.com',
    });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(600);
    const jwks = (await (await fetch(`${a.url}/tid/discovery/v2.0/keys`)).json()) as Parameters<
      typeof createLocalJWKSet
    >[0];
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
      audience: 'https://api.securitycenter.microsoft.com',
      issuer: `${a.url}/tid/v2.0`,
    });
    expect(payload).toMatchObject({ roles: ['Software.Read.All'], tid: 'tid', appid: 'app' });
  });

  it('answers errors in the Entra shape', async () => {
    a = await startLocalAuthority({ clients: { app: { secret: 's' } } });
    const res = await post(`${a.url}/tid/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 'x',
      scope: 'https://api.securitycenter.microsoft.com/.default',
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: string; error_description: string; error_codes: number[] };
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(body.error_description).toMatch(/^AADSTS7000215: /);
    const badScope = await post(`${a.url}/tid/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 's',
      scope: 'Software.Read.All',
    });
    expect(await badScope.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });
});
