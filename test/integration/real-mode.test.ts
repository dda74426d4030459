import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { startEmulatorServer } from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/runtime.js';
import { memoryLogger } from '../helpers/app.js';
import { type LocalAuthority, startLocalAuthority } from '../helpers/authority.js';
import { generateTestCertificate, type TestCertificate } from '../helpers/certs.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const SECRET = 'local-test-secret-value';
const QUERY = '{ softwareByIds(ids: ["microsoft-_-edge", "google-_-chrome"]) { id name missingKbs { id } } }';

/**
 * Production wiring over real sockets: MSAL talks to a local Entra-style authority, the client talks
 * to the emulator over HTTP, and the app is served by node:http. Nothing is injected.
 */
async function serve(env: Record<string, string>) {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const logger = memoryLogger();
  const runtime = createRuntime(parsed.config, { logger });
  const server: Server = createServer(createApp({ client: runtime.client, logger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const query = async (text: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text }),
    });
    return (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { extensions?: { code?: string; reason?: string } }[];
    };
  };
  return { query, logger, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('real mode: MSAL → local authority, client → emulator over HTTP', () => {
  let authority: LocalAuthority;
  let emulator: Awaited<ReturnType<typeof startEmulatorServer>>;
  let cert: TestCertificate;

  beforeAll(async () => {
    cert = await generateTestCertificate({ password: 'pem-password' });
    authority = await startLocalAuthority({
      clients: { [CLIENT]: { secret: SECRET }, 'cert-client': { certificatePem: cert.certPem } },
    });
    emulator = await startEmulatorServer({ port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
    await authority?.close();
    await cert?.cleanup();
  });

  const tokenRequests = () => authority.requests.filter((r) => r.method === 'POST');

  it('sends the MSAL-issued bearer on every call and reuses the token for the next query', async () => {
    const app = await serve({
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: SECRET,
      AZURE_AUTHORITY_HOST: authority.url,
      DEFENDER_API_URL: emulator.url,
      // Cache off: the second query must reach Defender to show that the token is reused.
      DEFENDER_CACHE_TTL_SECONDS: '0',
      DEFENDER_CACHE_SWR_SECONDS: '0',
      DEFENDER_CACHE_STALE_IF_ERROR_SECONDS: '0',
    });
    emulator.emulator.clearLog();
    const before = tokenRequests().length;
    const first = await app.query(QUERY);
    expect(first.errors).toBeUndefined();
    expect(tokenRequests()).toHaveLength(before + 1);
    const token = authority.tokensIssued.at(-1);
    expect(tokenRequests().at(-1)?.form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT,
      scope: 'https://api.securitycenter.microsoft.com/.default',
    });

    const second = await app.query(QUERY);
    expect(second).toEqual(first);
    expect(tokenRequests()).toHaveLength(before + 1);
    const log = emulator.emulator.log;
    expect(log).toHaveLength(8);
    expect(new Set(log.map((e) => e.authorization))).toEqual(new Set([`Bearer ${token}`]));
    expect(log.every((e) => e.status === 200)).toBe(true);
    expect(app.logger.lines.join('\n')).not.toContain(SECRET);
    expect(app.logger.lines.join('\n')).not.toContain(token);
    await app.close();
  });

  it('authenticates with a password-protected certificate', async () => {
    const app = await serve({
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: 'cert-client',
      AZURE_CLIENT_CERTIFICATE_PATH: cert.combinedPath,
      AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pem-password',
      AZURE_AUTHORITY_HOST: authority.url,
      DEFENDER_API_URL: emulator.url,
    });
    const result = await app.query(QUERY);
    expect(result.errors).toBeUndefined();
    expect(tokenRequests().at(-1)?.form).toMatchObject({
      client_id: 'cert-client',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    await app.close();
  });

  it('answers a wrong secret with UPSTREAM_UNAUTHORIZED per field and no secret in the response', async () => {
    const app = await serve({
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: 'wrong-secret-value',
      AZURE_AUTHORITY_HOST: authority.url,
      DEFENDER_API_URL: emulator.url,
    });
    emulator.emulator.clearLog();
    const result = await app.query(QUERY);
    expect(result.data).toEqual({ softwareByIds: [null, null] });
    expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([
      ['UPSTREAM_UNAUTHORIZED', 'TOKEN_INVALID_CLIENT'],
      ['UPSTREAM_UNAUTHORIZED', 'TOKEN_INVALID_CLIENT'],
    ]);
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
    expect(emulator.emulator.log).toHaveLength(0);
    await app.close();
  });
});
