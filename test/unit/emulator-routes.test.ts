import { describe, expect, it } from 'vitest';
import type { DefenderErrorBody, MissingKbDto, SoftwareDto } from '../../src/defender/types.js';
import { createEmulator, demoTokenClaims, mintUnsignedToken } from '../../src/emulator/index.js';

const HOST = 'https://api.security.microsoft.com';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PRODUCT_FIX = `${HOST}/api/$metadata#Collection(microsoft.windowsDefenderATP.api.PublicProductFixDto)`;

const emulator = createEmulator();
const { dataset } = emulator;

/** Loose view of any emulator JSON body: an OData payload or an error. */
interface Body {
  [key: string]: unknown;
  value: Record<string, unknown>[];
  error: { code: string; message: string; target: string };
}

async function get(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Body; response: Response }> {
  const headers = { authorization: `Bearer ${mintUnsignedToken(demoTokenClaims())}`, ...init.headers };
  const response = await emulator.fetch(new Request(`${HOST}${path}`, { ...init, headers }));
  return { status: response.status, body: (await response.json()) as Body, response };
}

function expectError(
  result: { status: number; body: Body; response: Response },
  status: number,
  code: string,
) {
  expect(result.status).toBe(status);
  expect(result.response.headers.get('content-type')).toBe('application/json');
  expect(Object.keys(result.body)).toEqual(['error']);
  expect(Object.keys(result.body.error).sort()).toEqual(['code', 'message', 'target']);
  expect(result.body.error.code).toBe(code);
  expect(result.body.error.target).toMatch(GUID);
}

describe('emulator routes', () => {
  it.each([
    '/api/Software/microsoft-_-edge',
    '/api/v1.0/Software/microsoft-_-edge',
    '/api/software/microsoft-_-edge',
    '/API/V1.0/SOFTWARE/microsoft-_-edge',
    '/api/Software/Microsoft-_-Edge',
  ])('serves %s as the single edge entity with @odata.context at top level', async (path) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(body).toEqual({
      '@odata.context': `${HOST}/api/$metadata#Software/$entity`,
      ...dataset.softwareById.get('microsoft-_-edge'),
    });
    expect(body.value).toBeUndefined();
  });

  it('builds @odata.context on the host that was called', async () => {
    const token = mintUnsignedToken(demoTokenClaims());
    const response = await emulator.fetch(
      new Request('https://api.securitycenter.microsoft.com/api/Software/google-_-chrome', {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(body['@odata.context']).toBe(
      'https://api.securitycenter.microsoft.com/api/$metadata#Software/$entity',
    );
  });

  it('returns the PublicProductFixDto collection from getmissingkbs', async () => {
    const { status, body } = await get('/api/Software/microsoft-_-edge/getMissingKbs');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['@odata.context', 'value']);
    expect(body['@odata.context']).toBe(PRODUCT_FIX);
    const kbs = body.value as unknown as MissingKbDto[];
    expect(kbs.length).toBeGreaterThanOrEqual(3);
    expect(kbs).toEqual(dataset.missingKbsBySoftwareId.get('microsoft-_-edge'));
    for (const kb of kbs) {
      expect(Object.keys(kb).sort()).toEqual([
        'cveAddressed',
        'id',
        'machineMissedOn',
        'name',
        'productsNames',
        'url',
      ]);
      expect(kb.id).toMatch(/^[45]\d{6}$/);
      expect(kb.url).toBe(`https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB${kb.id}`);
      expect(kb.name).toMatch(
        /^(January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d Security Updates$/,
      );
      expect(kb.productsNames).toContain('edge');
      expect(Number.isInteger(kb.machineMissedOn) && kb.machineMissedOn > 0).toBe(true);
      expect(Number.isInteger(kb.cveAddressed) && kb.cveAddressed > 0).toBe(true);
    }
  });

  it('returns an empty KB list for non-Microsoft software', async () => {
    const { status, body } = await get('/api/Software/google-_-chrome/getmissingkbs');
    expect(status).toBe(200);
    expect(body).toEqual({ '@odata.context': PRODUCT_FIX, value: [] });
  });

  it('answers 404 ResourceNotFound naming the unknown software id', async () => {
    const result = await get('/api/Software/microsoft-_-nope');
    expectError(result, 404, 'ResourceNotFound');
    expect(result.body.error.message).toBe('Software microsoft-_-nope was not found');
    const sub = await get('/api/Software/microsoft-_-nope/getmissingkbs');
    expectError(sub, 404, 'ResourceNotFound');
  });

  it('gives every error a fresh GUID target', async () => {
    const a = await get('/api/Software/x');
    const b = await get('/api/Software/x');
    expect(a.body.error.target).not.toBe(b.body.error.target);
  });

  it.each([
    ['a%2Fb', 'a/b'],
    ['..%2Fmachines', '../machines'],
    ['%2e%2e%2Fmachines%2Fx', '../machines/x'],
    ['microsoft%20edge', 'microsoft edge'],
    ['%E5%BE%AE%E8%BD%AF-_-edge', '微软-_-edge'],
    ['x%3F%24top%3D1', 'x?$top=1'],
  ])('treats the encoded id %s as the id %j and never routes elsewhere', async (raw, decoded) => {
    emulator.clearLog();
    const result = await get(`/api/Software/${raw}/getmissingkbs`);
    expectError(result, 404, 'ResourceNotFound');
    expect(result.body.error.message).toBe(`Software ${decoded} was not found`);
    expect(emulator.log).toHaveLength(1);
    expect(emulator.log[0]).toMatchObject({ route: 'software.getmissingkbs', id: decoded, status: 404 });
  });

  it('sees a bare %2e%2e segment already collapsed by the URL parser, so it cannot reach a route', async () => {
    emulator.clearLog();
    const result = await get('/api/Software/%2e%2e/getmissingkbs');
    expectError(result, 404, 'NotFound');
    expect(emulator.log[0]).toMatchObject({ rawPath: '/api/getmissingkbs', route: null });
  });

  it('answers 400 BadRequest for malformed percent-encoding', async () => {
    expectError(await get('/api/Software/%E0%A4%A/getmissingkbs'), 400, 'BadRequest');
  });

  it.each(['/api/Softwares', '/api/Software/a/b/c', '/Software/microsoft-_-edge', '/api/v2.0/Software', '/'])(
    'answers 404 NotFound for the unknown route %s',
    async (path) => {
      expectError(await get(path), 404, 'NotFound');
    },
  );

  it('answers 405 with Allow: GET for other methods', async () => {
    const result = await get('/api/Software/microsoft-_-edge', { method: 'DELETE' });
    expectError(result, 405, 'MethodNotAllowed');
    expect(result.response.headers.get('allow')).toBe('GET');
  });

  it('serves distributions, machineReferences and vulnerabilities consistent with the entity', async () => {
    const edge = dataset.softwareById.get('microsoft-_-edge') as SoftwareDto;
    const dist = await get('/api/Software/microsoft-_-edge/distributions');
    expect(dist.body['@odata.context']).toBe(`${HOST}/api/$metadata#Distributions`);
    const installs = dist.body.value.reduce((n, d) => n + Number(d.installations), 0);
    expect(installs).toBe(edge.installedMachines);
    const refs = await get('/api/Software/microsoft-_-edge/machinereferences');
    expect(refs.body['@odata.context']).toBe(`${HOST}/api/$metadata#MachineReferences`);
    expect(refs.body.value).toHaveLength(edge.installedMachines as number);
    expect(Object.keys(refs.body.value[0] ?? {}).sort()).toEqual([
      'computerDnsName',
      'id',
      'osPlatform',
      'rbacGroupName',
    ]);
    const vulns = await get('/api/Software/microsoft-_-edge/vulnerabilities');
    expect(vulns.body['@odata.context']).toBe(
      `${HOST}/api/$metadata#Collection(Analytics.Contracts.PublicAPI.PublicVulnerabilityDto)`,
    );
    expect(vulns.body.value).toHaveLength(edge.weaknesses);
  });

  it('serves machines, their software and missing KBs, and vulnerabilities by CVE id', async () => {
    const machine = dataset.machines.find((m) => (dataset.missingKbsByMachineId.get(m.id)?.length ?? 0) > 0);
    if (!machine) throw new Error('dataset must have a machine missing a KB');
    const one = await get(`/api/machines/${machine.id}`);
    expect(one.body).toEqual({ '@odata.context': `${HOST}/api/$metadata#Machine`, ...machine });
    const kbs = await get(`/api/machines/${machine.id}/getmissingkbs`);
    expect(kbs.body['@odata.context']).toBe(PRODUCT_FIX);
    expect(kbs.body.value.every((kb) => kb.machineMissedOn === 1)).toBe(true);
    const software = await get(`/api/machines/${machine.id}/software`);
    expect(software.body['@odata.context']).toBe(`${HOST}/api/$metadata#Software`);
    expect(software.body.value.length).toBe(dataset.installationsByMachineId.get(machine.id)?.length);
    const cve = dataset.vulnerabilitiesBySoftwareId.get('microsoft-_-edge')?.[0];
    const vuln = await get(`/api/vulnerabilities/${cve?.id.toLowerCase()}`);
    expect(vuln.body).toEqual({ '@odata.context': `${HOST}/api/$metadata#Vulnerabilities/$entity`, ...cve });
    const missing = await get('/api/machines/0000000000000000000000000000000000000000');
    expectError(missing, 404, 'ResourceNotFound');
    expect(missing.body.error.message).toBe('Machine 0000000000000000000000000000000000000000 was not found');
  });

  it('answers 404 on empty sub-resources only when emptyIs404 is set', async () => {
    const strict = createEmulator({ emptyIs404: true });
    const token = mintUnsignedToken(demoTokenClaims());
    const response = await strict.fetch(
      new Request(`${HOST}/api/Software/google-_-chrome/getmissingkbs`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as DefenderErrorBody).error.code).toBe('ResourceNotFound');
  });
});
