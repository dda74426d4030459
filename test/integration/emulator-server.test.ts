import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTokenClaims, mintUnsignedToken, startEmulatorServer } from '../../src/emulator/index.js';

describe('startEmulatorServer over real HTTP', () => {
  let server: Awaited<ReturnType<typeof startEmulatorServer>>;
  const authorization = `Bearer ${mintUnsignedToken(demoTokenClaims())}`;

  beforeAll(async () => {
    server = await startEmulatorServer({ port: 0, pageSize: 250 });
  });

  afterAll(async () => {
    await server.close();
  });

  it('listens on an ephemeral loopback port and serves the getmissingkbs envelope', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/api/Software/microsoft-_-edge/getmissingkbs`, {
      headers: { authorization },
    });
    expect(response.status).toBe(200);
    const host = new URL(server.url).host;
    expect(await response.json()).toEqual({
      '@odata.context': `https://${host}/api/$metadata#Collection(microsoft.windowsDefenderATP.api.PublicProductFixDto)`,
      value: server.emulator.dataset.missingKbsBySoftwareId.get('microsoft-_-edge'),
    });
  });

  it('keeps encoded ids intact on the wire and logs the raw path', async () => {
    server.emulator.clearLog();
    const response = await fetch(`${server.url}/api/Software/..%2Fmachines/getmissingkbs`, {
      headers: { authorization },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(server.emulator.log.map((e) => [e.rawPath, e.id])).toEqual([
      ['/api/Software/..%2Fmachines/getmissingkbs', '../machines'],
    ]);
  });

  it('emits nextLinks that can be followed over HTTP', async () => {
    let url: string | undefined = `${server.url}/api/Software`;
    let count = 0;
    while (url) {
      const response = await fetch(url, { headers: { authorization } });
      const body = (await response.json()) as { value: unknown[]; '@odata.nextLink'?: string };
      count += body.value.length;
      url = body['@odata.nextLink'];
    }
    expect(count).toBe(server.emulator.dataset.software.length);
  });

  it('answers 401 without a token', async () => {
    const response = await fetch(`${server.url}/api/Software`);
    expect(response.status).toBe(401);
  });
});
