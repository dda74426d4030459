import { describe, expect, it } from 'vitest';
import { createTestApp, type GqlResult } from '../helpers/app.js';

const errorsOf = (result: GqlResult<unknown>) =>
  result.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, message: e.message }));

/** Rewrites the JSON body the emulator answers for paths matching `pattern`. */
function rewrite(pattern: RegExp, edit: (body: Record<string, unknown>) => unknown) {
  return (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const response = await inner(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!pattern.test(url.pathname)) return response;
      return Response.json(edit((await response.json()) as Record<string, unknown>));
    };
}

describe('Defender responses are read liberally where the docs are unsure', () => {
  const cve = 'CVE-2024-0001';
  const variant = {
    id: cve,
    name: cve,
    description: 'x',
    severity: 'critical',
    cvssV3: '9.8',
    exposedMachines: '3',
    publishedOn: '2024-01-02T03:04:05.1234567Z',
    updatedOn: '2024-01-02T03:04:05',
    firstDetected: null,
    publicExploit: false,
    exploitVerified: false,
    exploitInKit: false,
    exploitTypes: null,
    exploitUris: null,
    cveSupportability: ['Supported'],
  };

  it('accepts numbers as strings, null lists, lower-case severities, fractions and zone-less dates', async () => {
    const { gql } = createTestApp({
      wrapFetch: rewrite(/\/vulnerabilities$/, (body) => ({ ...body, value: [variant] })),
    });
    const result = await gql(`{ software(id: "microsoft-_-edge") { vulnerabilities {
      id severity cvssV3 cvssVector exposedMachines publishedOn updatedOn firstDetected exploitTypes exploitUris
      cveSupportability tags epss
    } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      software: {
        vulnerabilities: [
          {
            id: cve,
            severity: 'CRITICAL',
            cvssV3: 9.8,
            cvssVector: null,
            exposedMachines: 3,
            publishedOn: '2024-01-02T03:04:05.1234567Z',
            updatedOn: '2024-01-02T03:04:05Z',
            firstDetected: null,
            exploitTypes: [],
            exploitUris: [],
            cveSupportability: 'Supported',
            tags: [],
            epss: null,
          },
        ],
      },
    });
  });

  it('reads a machine with a numeric-string build, null tags and adapter addresses', async () => {
    const { gql, emulator } = createTestApp({
      wrapFetch: rewrite(/\/machines\/[0-9a-f]{40}$/, (body) => ({
        ...body,
        osBuild: '19045',
        machineTags: null,
        rbacGroupId: 'group-7',
        ipAddresses: [{ ipAddress: '10.0.0.7', macAddress: null, operationalStatus: 'Up' }],
      })),
    });
    const id = emulator.dataset.machines[0]?.id ?? '';
    const result = await gql(
      `{ machine(id: "${id}") { osBuild machineTags rbacGroupId ipAddresses { ipAddress macAddress operationalStatus } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      machine: {
        osBuild: 19045,
        machineTags: [],
        rbacGroupId: 'group-7',
        ipAddresses: [{ ipAddress: '10.0.0.7', macAddress: null, operationalStatus: 'Up' }],
      },
    });
  });

  it.each([
    ['a date that is no date', { publishedOn: 'yesterday' }],
    ['an unknown severity', { severity: 'Catastrophic' }],
    ['a missing CVE id', { id: undefined }],
  ])('rejects %s as UPSTREAM_BAD_RESPONSE for that software only', async (_, change) => {
    const { gql } = createTestApp({
      wrapFetch: rewrite(/microsoft-_-edge\/vulnerabilities$/, (body) => ({
        ...body,
        value: [{ ...variant, ...change }],
      })),
    });
    const result = await gql<{ softwareByIds: unknown[] }>(
      '{ softwareByIds(ids: ["microsoft-_-edge", "microsoft-_-visio"]) { id vulnerabilities { id } } }',
    );
    expect(result.data?.softwareByIds[0]).toBeNull();
    expect(result.data?.softwareByIds[1]).toMatchObject({ id: 'microsoft-_-visio' });
    expect(errorsOf(result)?.map((e) => [e.path, e.code])).toEqual([
      [['softwareByIds', 0, 'vulnerabilities'], 'UPSTREAM_BAD_RESPONSE'],
    ]);
  });
});

describe('sub-resource collections follow @odata.nextLink', () => {
  /** Serves `/machineReferences` in two pages, the second behind a nextLink to `link(url)`. */
  function twoPages(link: (url: URL) => string) {
    let requests = 0;
    const wrap =
      (inner: typeof fetch): typeof fetch =>
      async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (!url.pathname.endsWith('/machineReferences')) return inner(input, init);
        requests++;
        const second = url.searchParams.has('page');
        url.search = '';
        const body = (await (await inner(url, init)).json()) as { value: unknown[] };
        const half = Math.ceil(body.value.length / 2);
        if (second) return Response.json({ value: body.value.slice(half) });
        return Response.json({ value: body.value.slice(0, half), '@odata.nextLink': link(url) });
      };
    return { wrap, requests: () => requests };
  }

  it('joins the pages of one sub-resource (two calls for one field)', async () => {
    const pages = twoPages((url) => `${url.href}?page=2`);
    const { gql, emulator } = createTestApp({ wrapFetch: pages.wrap });
    const result = await gql<{ software: { machines: { id: string }[] } }>(
      '{ software(id: "microsoft-_-azure_cli") { machines { id } } }',
    );
    expect(result.errors).toBeUndefined();
    const expected = (emulator.dataset.installationsBySoftwareId.get('microsoft-_-azure_cli') ?? []).map(
      (i) => ({
        id: i.machineId,
      }),
    );
    expect(expected).toHaveLength(4);
    expect(result.data?.software.machines).toEqual(expected);
    expect(pages.requests()).toBe(2);
  });

  it('refuses a nextLink outside the API root as UPSTREAM_BAD_RESPONSE, sending no token there', async () => {
    const pages = twoPages(() => 'https://evil.example/api/Software/x/machineReferences?page=2');
    const { gql } = createTestApp({ wrapFetch: pages.wrap });
    const result = await gql('{ software(id: "microsoft-_-azure_cli") { machines { id } } }');
    expect(result.data).toEqual({ software: null });
    expect(errorsOf(result)?.map((e) => [e.path, e.code])).toEqual([
      [['software', 'machines'], 'UPSTREAM_BAD_RESPONSE'],
    ]);
    expect(pages.requests()).toBe(1);
  });
});
