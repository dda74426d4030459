import { readFileSync } from 'node:fs';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { buildASTSchema, type GraphQLObjectType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { createTestApp, type GqlResult } from '../helpers/app.js';
import {
  createInventoryApp,
  FLEET,
  inventorySdl,
  UNKNOWN_SOFTWARE_ID,
} from '../helpers/federation/inventory-subgraph.js';
import { type LoopbackServer, serveLoopback } from '../helpers/federation/serve.js';

/** The committed subgraph SDL: what CI composes and what `_service.sdl` must serve. */
const committedSdl = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
const stripTrailing = (text: string) => text.replace(/[ \t]+$/gm, '').trimEnd();

/** Composes our committed SDL with the inventory fixture; `origin`s only matter for a live gateway. */
function compose(softwareOrigin = 'http://127.0.0.1:1', inventoryOrigin = 'http://127.0.0.1:2') {
  return composeServices([
    { name: 'software', url: `${softwareOrigin}/graphql`, typeDefs: parse(committedSdl) },
    { name: 'inventory', url: `${inventoryOrigin}/graphql`, typeDefs: parse(inventorySdl) },
  ]);
}

/** `route id status` of every upstream call, sorted, so a repeated call shows up as a duplicate line. */
const upstreamCalls = (log: readonly { route: string | null; id?: string; status: number }[]) =>
  log.map((entry) => `${entry.route} ${entry.id} ${entry.status}`).sort();

describe('software subgraph federation contract', () => {
  it('serves _service.sdl with Software @key(fields: "id"), identical to schema/schema.graphql', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(result.errors).toBeUndefined();
    const sdl = result.data?._service.sdl ?? '';
    expect(sdl).toContain('type Software\n  @key(fields: "id")\n{');
    expect(stripTrailing(sdl)).toBe(stripTrailing(committedSdl));
    // Printing the SDL must not cost a Defender call.
    expect(emulator.log).toHaveLength(0);
  });

  it('resolves _entities in representation order, nulls an unknown id, one getmissingkbs per distinct id', async () => {
    const { gql, emulator, calls } = createTestApp();
    const result = await gql<{ _entities: ({ id: string; missingKbs: { id: string }[] } | null)[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Software { id missingKbs { id } } }
      }`,
      {
        representations: [
          { __typename: 'Software', id: 'microsoft-_-edge' },
          { __typename: 'Software', id: UNKNOWN_SOFTWARE_ID },
          { __typename: 'Software', id: 'microsoft-_-edge' },
        ],
      },
    );
    const edgeKbs = emulator.dataset.missingKbsBySoftwareId.get('microsoft-_-edge') ?? [];
    expect(edgeKbs.length).toBeGreaterThan(0);
    const edge = { id: 'microsoft-_-edge', missingKbs: edgeKbs.map((kb) => ({ id: kb.id })) };
    expect(result.data).toEqual({ _entities: [edge, null, edge] });
    expect(result.errors?.map((e) => ({ path: e.path, code: e.extensions?.code }))).toEqual([
      { path: ['_entities', 1], code: 'NOT_FOUND' },
    ]);
    // The duplicate is free and the unknown id's 404 comes from the call the selection needs anyway.
    expect(upstreamCalls(calls('software.getmissingkbs'))).toEqual([
      `software.getmissingkbs ${UNKNOWN_SOFTWARE_ID} 404`,
      'software.getmissingkbs microsoft-_-edge 200',
    ]);
    expect(calls('software.get')).toHaveLength(0);
    expect(emulator.log).toHaveLength(2);
  });

  it('composes with the inventory subgraph without errors into a supergraph owning both', () => {
    const result = compose();
    expect(result.errors).toBeUndefined();
    const supergraph = result.supergraphSdl ?? '';
    expect(supergraph).toContain(
      'SOFTWARE @join__graph(name: "software", url: "http://127.0.0.1:1/graphql")',
    );
    expect(supergraph).toContain(
      'INVENTORY @join__graph(name: "inventory", url: "http://127.0.0.1:2/graphql")',
    );
    expect(supergraph).toMatch(/type Software[^{]*@join__type\(graph: SOFTWARE, key: "id"\)/);
    expect(supergraph).toMatch(
      /type Software[^{]*@join__type\(graph: INVENTORY, key: "id", resolvable: false, extension: true\)/,
    );
    const api = buildASTSchema(parse(result.publicSdl ?? ''));
    const fieldsOf = (name: string) =>
      Object.keys((api.getType(name) as GraphQLObjectType).getFields()).sort();
    // Every public field of our subgraph reaches the supergraph API, whatever features add next.
    const ours = (name: string) =>
      Object.keys((schema.getType(name) as GraphQLObjectType).getFields())
        .filter((field) => !field.startsWith('_'))
        .sort();
    expect(fieldsOf('Query')).toEqual(['devices', ...ours('Query')].sort());
    expect(fieldsOf('Query')).toEqual(
      expect.arrayContaining(['devices', 'machine', 'software', 'softwareByIds', 'vulnerability']),
    );
    expect(fieldsOf('Device')).toEqual(['id', 'installedSoftware', 'name']);
    expect(fieldsOf('Software')).toEqual(ours('Software'));
    expect(fieldsOf('Machine')).toEqual(ours('Machine'));
    expect(fieldsOf('Vulnerability')).toEqual(ours('Vulnerability'));
    expect(supergraph).toMatch(/type Machine[^{]*@join__type\(graph: SOFTWARE, key: "id"\)/);
    expect(supergraph).toMatch(/type Vulnerability[^{]*@join__type\(graph: SOFTWARE, key: "id"\)/);
    expect(fieldsOf('Software')).toEqual(
      expect.arrayContaining([
        'activeAlert',
        'category',
        'exposedMachines',
        'id',
        'impactScore',
        'installedMachines',
        'isNormalized',
        'machines',
        'missingKbs',
        'name',
        'publicExploit',
        'vendor',
        'versionDistribution',
        'vulnerabilities',
        'weaknesses',
      ]),
    );
    expect(fieldsOf('MissingKb')).toHaveLength(6);
  });
});

describe('through a Hive gateway over both subgraphs', () => {
  const software = createTestApp();
  const inventory = createInventoryApp();
  /** HTTP requests that reached our subgraph, counted below the yoga app so batching is visible. */
  let softwareRequests = 0;
  const servers: LoopbackServer[] = [];
  let gateway: GatewayRuntime | undefined;
  let gatewayOrigin = '';

  beforeAll(async () => {
    const softwareServer = await serveLoopback((req, res) => {
      softwareRequests++;
      software.app(req, res);
    });
    servers.push(softwareServer);
    const inventoryServer = await serveLoopback(inventory.app);
    servers.push(inventoryServer);
    const composed = compose(softwareServer.origin, inventoryServer.origin);
    if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors?.join('; ')}`);
    gateway = createGatewayRuntime({ supergraph: composed.supergraphSdl, logging: false });
    const gatewayServer = await serveLoopback(gateway);
    servers.push(gatewayServer);
    gatewayOrigin = gatewayServer.origin;
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await gateway?.dispose();
  });

  it('joins devices to Software and missingKbs with one upstream call per distinct (endpoint, id)', async () => {
    const response = await fetch(`${gatewayOrigin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        query: '{ devices { id installedSoftware { id name missingKbs { id name } } } }',
      }),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as GqlResult<Record<string, unknown>>;

    const { dataset } = software.emulator;
    const expected = FLEET.map((device) => ({
      id: device.id,
      installedSoftware: device.installedSoftwareIds.map((id) => {
        const dto = dataset.softwareById.get(id);
        if (!dto) return null;
        const kbs = dataset.missingKbsBySoftwareId.get(id) ?? [];
        return { id, name: dto.name, missingKbs: kbs.map((kb) => ({ id: kb.id, name: kb.name })) };
      }),
    }));
    expect(result.data).toEqual({ devices: expected });
    // The fixture must exercise both shapes of answer: Microsoft products with KBs, others without.
    expect(dataset.missingKbsBySoftwareId.get('microsoft-_-windows_10')?.length).toBeGreaterThan(0);
    expect(dataset.missingKbsBySoftwareId.get('google-_-chrome')).toEqual([]);
    expect(expected.flatMap((d) => d.installedSoftware).filter((s) => s === null)).toHaveLength(2);

    // The unknown id is null at both of its places, each with its own NOT_FOUND from our subgraph.
    // Hive relocates the one `_entities` error to every place the key occurs, but its paths end in
    // `installedSoftware.name` without the item index (observed: ['devices', 1, 'installedSoftware',
    // 'name']), so only the device part of the path is pinned here.
    expect(
      result.errors?.map((e) => ({
        at: e.path?.slice(0, 3),
        code: e.extensions?.code,
        service: e.extensions?.serviceName,
        message: e.message,
      })),
    ).toEqual(
      [1, 2].map((device) => ({
        at: ['devices', device, 'installedSoftware'],
        code: 'NOT_FOUND',
        service: 'software',
        message: `No software with id "${UNKNOWN_SOFTWARE_ID}" in Defender`,
      })),
    );

    // 9 Software references, 5 distinct ids: one GET /Software/{id} each (for `name`, and as the
    // existence probe that nulls the unknown id), one getmissingkbs per id (started alongside the
    // probe, so the unknown id spends a 404 too), nothing else, all
    // from a single `_entities` request (the gateway sends each distinct key once).
    expect(upstreamCalls(software.emulator.log)).toEqual([
      'software.get contoso-_-unknown 404',
      'software.get google-_-chrome 200',
      'software.get microsoft-_-edge 200',
      'software.get microsoft-_-windows_10 200',
      'software.get mozilla-_-firefox 200',
      'software.getmissingkbs contoso-_-unknown 404',
      'software.getmissingkbs google-_-chrome 200',
      'software.getmissingkbs microsoft-_-edge 200',
      'software.getmissingkbs microsoft-_-windows_10 200',
      'software.getmissingkbs mozilla-_-firefox 200',
    ]);
    expect(softwareRequests).toBe(1);
    expect(inventory.operations).toHaveLength(1);
  });
});
