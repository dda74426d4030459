import { describe, expect, it } from 'vitest';
import { createStaticTokenProvider } from '../../src/auth/token-provider.js';
import { createDefenderClient } from '../../src/defender/client.js';
import { createDefenderHttp } from '../../src/defender/http.js';
import { createEmulator, demoTokenClaims, mintUnsignedToken } from '../../src/emulator/index.js';
import { createApp } from '../../src/server/app.js';
import type { OperationLimits } from '../../src/server/planner-defaults.js';
import { createTestApp, type GqlResult, memoryLogger } from '../helpers/app.js';

/** The real app over a fresh in-process emulator, with the planner limits under test. */
function plannerApp(limits: Partial<OperationLimits> = {}) {
  const emulator = createEmulator();
  const logger = memoryLogger();
  const tokens = createStaticTokenProvider(() => mintUnsignedToken(demoTokenClaims()), 'test token');
  const fetch: typeof globalThis.fetch = (input, init) => emulator.fetch(new Request(input, init));
  const http = createDefenderHttp({ tokens, fetch, logger, timeoutMs: 5_000 });
  const client = createDefenderClient(http, 'https://api.security.microsoft.com/api');
  const app = createApp({ client, logger, limits });
  async function post(query: string, variables?: unknown, accept = 'application/json') {
    const response = await app.fetch('http://app/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const json = accept.startsWith('multipart') ? {} : JSON.parse(text);
    const body = json as GqlResult<unknown> & { extensions?: Record<string, unknown> };
    return { status: response.status, body, text };
  }
  return { emulator, logger, post };
}

const dataset = createEmulator().dataset;
const WIN = 'microsoft-_-windows_11';
const EDGE = 'microsoft-_-edge';
const CHROME = 'google-_-chrome';
const UNKNOWN = 'contoso-_-nothing';
const MACHINE = dataset.machines[0]?.id ?? '';
const CVE = dataset.vulnerabilitiesBySoftwareId.get(WIN)?.[0]?.id ?? '';
/** A software installed on 2–4 devices: per-device fields under it stay small. */
const FEW = dataset.software.find((s) => {
  const n = dataset.installationsBySoftwareId.get(s.id)?.length ?? 0;
  return n >= 2 && n <= 4;
})?.id;

/** [name, query, variables, estimate, exact]: exact means the emulator sees exactly that many calls. */
const CASES: [string, string, Record<string, unknown> | undefined, number, boolean][] = [
  [
    'issue-2 acceptance query',
    `{ a: software(id:"${EDGE}"){ missingKbs{ id name url productsNames machineMissedOn cveAddressed } }
       b: software(id:"${EDGE}"){ id }
       c: softwareByIds(ids:["${CHROME}","${EDGE}"]){ id missingKbs{ id } } }`,
    undefined,
    2,
    true,
  ],
  [
    'README sample with an unknown id',
    `{ software(id: "${WIN}") { name vendor exposedMachines missingKbs { id } }
       softwareByIds(ids: ["${CHROME}", "${UNKNOWN}"]) { id name weaknesses } }`,
    undefined,
    4,
    true,
  ],
  [
    'softwareByIds with repeats, from variables',
    'query ($ids: [ID!]!) { softwareByIds(ids: $ids) { name missingKbs { id } } }',
    { ids: [EDGE, CHROME, EDGE, EDGE] },
    4,
    true,
  ],
  [
    'aliases and fragments on one id',
    `query { a: software(id:"${EDGE}") { ...E } b: software(id:"${EDGE}") { vendor } }
     fragment E on Software { name ... on Software { missingKbs { id } } }`,
    undefined,
    2,
    true,
  ],
  [
    'id only, and a probe shared with another alias',
    `{ a: software(id:"${WIN}") { id } b: software(id:"${EDGE}") { id } c: software(id:"${EDGE}") { missingKbs { id } } }`,
    undefined,
    2,
    true,
  ],
  [
    '@skip by variable',
    `query ($s: Boolean!) { software(id:"${EDGE}") { name missingKbs @skip(if: $s) { id } } }`,
    { s: true },
    1,
    true,
  ],
  [
    'an unknown id with two endpoints selected: both 404s',
    `{ software(id:"${UNKNOWN}") { name missingKbs { id } } }`,
    undefined,
    2,
    true,
  ],
  [
    '_entities of three types, with a repeat',
    `query ($r: [_Any!]!) { _entities(representations: $r) {
       ... on Software { id missingKbs { id } } ... on Vulnerability { name } ... on Machine { computerDnsName } } }`,
    {
      r: [
        { __typename: 'Software', id: EDGE },
        { __typename: 'Software', id: EDGE },
        { __typename: 'Software', id: CHROME },
        { __typename: 'Vulnerability', id: CVE },
        { __typename: 'Machine', id: MACHINE },
      ],
    },
    4,
    true,
  ],
  [
    'drill-down fields of one software',
    `{ software(id:"${WIN}") { versionDistribution { version } machines { id computerDnsName osPlatform }
       vulnerabilities { id name severity } } }`,
    undefined,
    3,
    true,
  ],
  [
    'a software page with per-item KB lists',
    '{ softwareList(first: 3) { nodes { id missingKbs { id } } pageInfo { hasNextPage } } }',
    undefined,
    4,
    true,
  ],
  [
    'a device with its reference fields and missing KBs',
    `{ machine(id:"${MACHINE}") { id computerDnsName missingKbs { id } } }`,
    undefined,
    2,
    true,
  ],
  [
    "a device's software: one call, the listed software's own fields are primed",
    `{ machine(id:"${MACHINE}") { software { id name vendor } } }`,
    undefined,
    1,
    true,
  ],
  [
    'a vulnerability with its device list only: that call also proves the CVE exists',
    `{ vulnerability(id:"${CVE}") { machines { id } } }`,
    undefined,
    1,
    true,
  ],
  [
    'a vulnerability and its devices',
    `{ vulnerability(id:"${CVE}") { name machines { id computerDnsName } } }`,
    undefined,
    2,
    true,
  ],
];

describe('planner estimates against the emulator', () => {
  it.each(CASES)('%s', async (_name, query, variables, estimate, exact) => {
    const { post, emulator } = plannerApp();
    const { body } = await post(query, variables);
    expect(body.extensions?.cost).toEqual({ estimatedCalls: estimate, limit: 100 });
    // Only the README sample's unknown id fails, and only with NOT_FOUND.
    for (const error of body.errors ?? []) expect(error.extensions?.code).toBe('NOT_FOUND');
    if (exact) expect(emulator.log).toHaveLength(estimate);
    else expect(emulator.log.length).toBeLessThanOrEqual(estimate);
  });

  it('does not count on sharing a probe with a deferred root field (executors may start it later)', async () => {
    const { post, emulator } = plannerApp();
    const query = `{ a: software(id:"${EDGE}") { id } ... @defer { b: software(id:"${EDGE}") { missingKbs { id } } } }`;
    const { status, text } = await post(query, undefined, 'multipart/mixed');
    expect(status).toBe(200);
    expect(text).toContain('"cost":{"estimatedCalls":2,"limit":100}');
    expect(text).toContain('"b":{"missingKbs":');
    // yoga's executor starts deferred fields at once, so here the probe was shared after all.
    expect(emulator.log.map((entry) => entry.route)).toEqual(['software.getmissingkbs']);
  });

  it('never underestimates where it cannot be exact (lists, primed entities, per-device fields)', async () => {
    const loose: [string, Partial<OperationLimits>][] = [
      ['{ softwareList(first: 4) { edges { node { name } } nodes { name missingKbs { id } } } }', {}],
      [`{ machine(id:"${MACHINE}") { software { id missingKbs { id } } } }`, { maxCallsPerOperation: 5000 }],
      [`{ software(id:"${FEW}") { machines { id lastSeen missingKbs { id } } } }`, { assumedListSize: 4 }],
      [
        `{ software(id:"${WIN}") { vulnerabilities { id machines { id } } } }`,
        { maxCallsPerOperation: 5000 },
      ],
    ];
    for (const [query, limits] of loose) {
      const { post, emulator } = plannerApp(limits);
      const { body } = await post(query);
      const cost = body.extensions?.cost as { estimatedCalls: number } | undefined;
      expect(body.errors, query).toBeUndefined();
      expect(emulator.log.length, query).toBeGreaterThan(0);
      expect(cost?.estimatedCalls, query).toBeGreaterThanOrEqual(emulator.log.length);
    }
  });
});

describe('refusing an operation above DEFENDER_MAX_CALLS_PER_OPERATION', () => {
  const ids = dataset.software.slice(0, 6).map((s) => s.id);
  const query = 'query ($ids: [ID!]!) { softwareByIds(ids: $ids) { name } }';

  it('runs an operation at the limit and refuses one above it, before any upstream call', async () => {
    const { post, emulator, logger } = plannerApp({ maxCallsPerOperation: 5 });
    const atLimit = await post(query, { ids: ids.slice(0, 5) });
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.body.extensions?.cost).toEqual({ estimatedCalls: 5, limit: 5 });
    expect(emulator.log).toHaveLength(5);

    emulator.clearLog();
    const above = await post(query, { ids });
    expect(above.status).toBe(200);
    expect(above.body).toEqual({
      errors: [
        {
          message:
            'This operation could need up to 6 Defender calls; at most 5 are allowed per operation. Ask for ' +
            'fewer ids or fields, page lists with a smaller "first", or split the operation.',
          extensions: {
            code: 'UPSTREAM_BUDGET_EXCEEDED',
            estimate: 6,
            limit: 5,
            byEndpoint: { 'software.get': 6 },
          },
        },
      ],
    });
    expect(emulator.log).toHaveLength(0);
    const refusal = logger.lines.map((line) => JSON.parse(line)).find((l) => l.estimate === 6);
    expect(refusal).toMatchObject({ limit: 5, byEndpoint: { 'software.get': 6 } });
    expect(JSON.stringify(refusal)).not.toContain(ids[0]);
  });

  it('answers 400 to application/graphql-response+json clients (a request error, like validation)', async () => {
    const { post, emulator } = plannerApp({ maxCallsPerOperation: 5 });
    const above = await post(query, { ids }, 'application/graphql-response+json');
    expect(above.status).toBe(400);
    expect(above.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BUDGET_EXCEEDED');
    expect(above.body).not.toHaveProperty('data');
    expect(emulator.log).toHaveLength(0);
  });

  it('refuses with the default limit of 100 (101 distinct ids), and an unbounded per-device list', async () => {
    const { gql, emulator } = createTestApp();
    const many = dataset.software.slice(0, 101).map((s) => s.id);
    const result = await gql(query, { ids: many });
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      { code: 'UPSTREAM_BUDGET_EXCEEDED', estimate: 101, limit: 100, byEndpoint: { 'software.get': 101 } },
    ]);
    const perDevice = await gql(`{ software(id:"${FEW}") { machines { lastSeen } } }`);
    expect(perDevice.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_BUDGET_EXCEEDED',
      estimate: 1001,
    });
    expect(emulator.log).toHaveLength(0);
  });
});
