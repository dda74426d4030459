import { describe, expect, it } from 'vitest';
import { createTestApp, type GqlResult } from '../helpers/app.js';

const UNKNOWN_SOFTWARE = 'contoso-_-nothing';
const UNKNOWN_MACHINE = '0000000000000000000000000000000000000000';
const UNKNOWN_CVE = 'CVE-1999-00000';

/** `route id status` of every upstream call, sorted. */
const upstream = (log: readonly { route: string | null; id?: string; status: number }[]) =>
  log.map((e) => `${e.route} ${e.id} ${e.status}`).sort();

const errorsOf = (result: GqlResult<unknown>) =>
  result.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, message: e.message }));

describe('unknown ids are null with NOT_FOUND at their own path', () => {
  it.each([
    ['versionDistribution { version }', 'software.distributions'],
    ['machines { id }', 'software.machinereferences'],
    ['vulnerabilities(severity: [CRITICAL]) { id }', 'software.vulnerabilities'],
  ])('Software.%s: the probe is the call the field makes anyway', async (selection, route) => {
    const { gql, emulator } = createTestApp();
    const result = await gql<{ softwareByIds: unknown[] }>(
      `{ softwareByIds(ids: ["microsoft-_-visio", "${UNKNOWN_SOFTWARE}"]) { id ${selection} } }`,
    );
    expect(result.data?.softwareByIds[0]).toMatchObject({ id: 'microsoft-_-visio' });
    expect(result.data?.softwareByIds[1]).toBeNull();
    expect(errorsOf(result)).toEqual([
      {
        path: ['softwareByIds', 1],
        code: 'NOT_FOUND',
        message: `No software with id "${UNKNOWN_SOFTWARE}" in Defender`,
      },
    ]);
    expect(upstream(emulator.log)).toEqual([
      `${route} ${UNKNOWN_SOFTWARE} 404`,
      `${route} microsoft-_-visio 200`,
    ]);
  });

  it.each([
    ['id', ['machines.get']],
    ['computerDnsName', ['machines.get']],
    ['lastSeen riskScore', ['machines.get']],
    ['missingKbs { id }', ['machines.getmissingkbs']],
    ['software { id name }', ['machines.software']],
    ['computerDnsName missingKbs { id }', ['machines.get', 'machines.getmissingkbs']],
  ])('machine(id) { %s }: NOT_FOUND without extra calls', async (selection, routes) => {
    const { gql, emulator } = createTestApp();
    const known = emulator.dataset.machines[0]?.id ?? '';
    const result = await gql<Record<string, unknown>>(
      `{ known: machine(id: "${known}") { id } unknown: machine(id: "${UNKNOWN_MACHINE}") { ${selection} } }`,
    );
    expect(result.data).toEqual({ known: { id: known }, unknown: null });
    expect(errorsOf(result)).toEqual([
      {
        path: ['unknown'],
        code: 'NOT_FOUND',
        message: `No machine with id "${UNKNOWN_MACHINE}" in Defender`,
      },
    ]);
    expect(upstream(emulator.log)).toEqual(
      [`machines.get ${known} 200`, ...routes.map((r) => `${r} ${UNKNOWN_MACHINE} 404`)].sort(),
    );
  });

  it.each([
    ['id', ['vulnerabilities.get']],
    ['id severity cvssV3', ['vulnerabilities.get']],
    ['machines { id }', ['vulnerabilities.machinereferences']],
    ['severity machines { id }', ['vulnerabilities.get', 'vulnerabilities.machinereferences']],
  ])('vulnerability(id) { %s }: NOT_FOUND at its path without extra calls', async (selection, routes) => {
    const { gql, emulator } = createTestApp();
    const result = await gql(`{ vulnerability(id: "${UNKNOWN_CVE}") { ${selection} } }`);
    expect(result.data).toEqual({ vulnerability: null });
    expect(errorsOf(result)).toEqual([
      {
        path: ['vulnerability'],
        code: 'NOT_FOUND',
        message: `No vulnerability with id "${UNKNOWN_CVE}" in Defender`,
      },
    ]);
    expect(upstream(emulator.log)).toEqual(routes.map((r) => `${r} ${UNKNOWN_CVE} 404`));
  });

  it('rejects impossible ids before any call and sends hostile ones as one encoded segment', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql(`{
      empty: machine(id: "") { id }
      dots: vulnerability(id: "..") { id }
      traversal: machine(id: "../Software/microsoft-_-edge") { computerDnsName }
    }`);
    expect(result.data).toEqual({ empty: null, dots: null, traversal: null });
    expect(errorsOf(result)?.map((e) => [e.path?.[0], e.code])).toEqual([
      ['empty', 'BAD_USER_INPUT'],
      ['dots', 'BAD_USER_INPUT'],
      ['traversal', 'NOT_FOUND'],
    ]);
    expect(emulator.log.map((e) => [e.route, e.rawPath])).toEqual([
      ['machines.get', '/api/machines/..%2FSoftware%2Fmicrosoft-_-edge'],
    ]);
  });
});

describe('failures stay with their own item', () => {
  it('a failing sub-resource call nulls only the software it belongs to', async () => {
    let failed = 0;
    const failing =
      (inner: typeof fetch): typeof fetch =>
      async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (!url.pathname.endsWith('/google-_-chrome/distributions')) return inner(input, init);
        failed++;
        return new Response('busy', { status: 503 });
      };
    const { gql, emulator } = createTestApp({ wrapFetch: failing });
    const result = await gql<{ softwareByIds: unknown[] }>(
      '{ softwareByIds(ids: ["microsoft-_-edge", "google-_-chrome"]) { id versionDistribution { version } } }',
    );
    const edge = emulator.dataset.distributionsBySoftwareId.get('microsoft-_-edge') ?? [];
    expect(result.data?.softwareByIds).toEqual([
      { id: 'microsoft-_-edge', versionDistribution: edge.map((d) => ({ version: d.version })) },
      null,
    ]);
    expect(errorsOf(result)?.map((e) => [e.path, e.code])).toEqual([
      [['softwareByIds', 1, 'versionDistribution'], 'UPSTREAM_UNAVAILABLE'],
    ]);
    // The failing call is made once: the probe and the field share it.
    expect(failed).toBe(1);
    expect(upstream(emulator.log)).toEqual(['software.distributions microsoft-_-edge 200']);
  });
});
