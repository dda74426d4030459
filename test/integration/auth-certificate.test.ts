import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateError } from '../../src/auth/certificate.js';
import { createMsalTokenProvider, type MsalProviderOptions } from '../../src/auth/msal-provider.js';
import { TokenAcquisitionError } from '../../src/auth/token-provider.js';
import { type LocalAuthority, startLocalAuthority } from '../helpers/authority.js';
import { generateTestCertificate, type TestCertificate } from '../helpers/certs.js';

const TENANT = 'contoso.onmicrosoft.com';
const PLAIN_APP = 'cert-app-plain';
const ENCRYPTED_APP = 'cert-app-encrypted';
const PASSWORD = 'pa55-Word~for.key';
const SCOPE = 'https://api-gov.securitycenter.microsoft.us/.default';

let plain: TestCertificate;
let encrypted: TestCertificate;
let unregistered: TestCertificate;
let a: LocalAuthority;

beforeAll(async () => {
  [plain, encrypted, unregistered] = await Promise.all([
    generateTestCertificate({ commonName: 'plain' }),
    generateTestCertificate({ commonName: 'encrypted', password: PASSWORD }),
    generateTestCertificate({ commonName: 'unregistered' }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain, encrypted, unregistered].map((c) => c?.cleanup()));
});
afterEach(async () => {
  await a?.close();
});

async function setup() {
  a = await startLocalAuthority({
    clients: {
      [PLAIN_APP]: { certificatePem: plain.certPem },
      [ENCRYPTED_APP]: { certificatePem: encrypted.certPem },
    },
  });
}

function provider(clientId: string, credential: MsalProviderOptions['credential']) {
  const urls: string[] = [];
  const tokens = createMsalTokenProvider({
    tenantId: TENANT,
    clientId,
    credential,
    authorityHost: a.url,
    scope: SCOPE,
    fetch: (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    },
  });
  return { tokens, urls };
}

function thrown(fn: () => unknown): CertificateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateError);
    expect(err).toBeInstanceOf(TokenAcquisitionError);
    return err as CertificateError;
  }
  throw new Error('expected a CertificateError');
}

describe('msal token provider: certificate credential', () => {
  it('signs a client assertion the authority verifies (unencrypted key)', async () => {
    await setup();
    const { tokens, urls } = provider(PLAIN_APP, { kind: 'certificate', pemPath: plain.combinedPath });
    expect(await tokens.getToken()).toBe(a.tokensIssued[0]);
    const form = a.requests.find((r) => r.method === 'POST')?.form ?? {};
    expect(form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: PLAIN_APP,
      scope: SCOPE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    expect(form.client_secret).toBeUndefined();
    expect(form.client_assertion).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /${TENANT}/v2.0/.well-known/openid-configuration`,
      `POST /${TENANT}/oauth2/v2.0/token`,
    ]);
    for (const url of urls) expect(new URL(url).origin).toBe(a.url);
    expect(tokens.description).toMatch(
      /^certificate [0-9a-f]{8}… \(CN=plain\) for app cert-app… at http:\/\/127/,
    );
  });

  it('works with an encrypted key and its password', async () => {
    await setup();
    const { tokens } = provider(ENCRYPTED_APP, {
      kind: 'certificate',
      pemPath: encrypted.combinedPath,
      password: PASSWORD,
    });
    expect(await tokens.getToken()).toBe(a.tokensIssued[0]);
    expect(tokens.description).not.toContain(PASSWORD);
  });

  it('reports a certificate the app does not know as TOKEN_INVALID_CLIENT (AADSTS700027)', async () => {
    await setup();
    const { tokens } = provider(PLAIN_APP, { kind: 'certificate', pemPath: unregistered.combinedPath });
    const err = await tokens.getToken().catch((e: unknown) => e as TokenAcquisitionError);
    expect(err).toMatchObject({ code: 'TOKEN_INVALID_CLIENT', aadstsCodes: [700027] });
    expect((err as Error).message).not.toMatch(/-----|MII|ey[A-Za-z0-9_-]{20}/);
  });

  it('fails fast with a typed error on a wrong or missing password, without echoing it', async () => {
    await setup();
    const wrong = thrown(() =>
      provider(ENCRYPTED_APP, {
        kind: 'certificate',
        pemPath: encrypted.combinedPath,
        password: 'not-the-password',
      }),
    );
    expect(wrong).toMatchObject({ code: 'TOKEN_CERTIFICATE_INVALID', reason: 'BAD_PASSWORD' });
    expect(wrong.message).not.toContain('not-the-password');
    expect(wrong.message).not.toContain(PASSWORD);
    const missing = thrown(() =>
      provider(ENCRYPTED_APP, { kind: 'certificate', pemPath: encrypted.combinedPath }),
    );
    expect(missing.reason).toBe('BAD_PASSWORD');
    expect(a.requests).toHaveLength(0);
  });

  it('fails fast with a typed error on a missing file', async () => {
    await setup();
    const pemPath = join(plain.dir, 'does-not-exist.pem');
    const err = thrown(() => provider(PLAIN_APP, { kind: 'certificate', pemPath }));
    expect(err).toMatchObject({ code: 'TOKEN_CERTIFICATE_INVALID', reason: 'FILE_UNREADABLE' });
    expect(err.message).toContain('ENOENT');
  });
});
