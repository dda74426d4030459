import { describe, expect, it } from 'vitest';
import type {
  DistributionDto,
  MachineRefDto,
  MissingKbDto,
  SoftwareDto,
  VulnerabilityDto,
} from '../../src/defender/types.js';
import { DashboardDocument, MachineDrillDownDocument } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';
import { createRestReference } from '../helpers/rest.js';

/** Twenty Microsoft products of the demo dataset, each with missing KBs and at least one critical CVE. */
const DASHBOARD_IDS = [
  'microsoft-_-windows_10',
  'microsoft-_-internet_explorer',
  'microsoft-_-windows_11',
  'microsoft-_-windows_server_2019',
  'microsoft-_-windows_server_2022',
  'microsoft-_-edge',
  'microsoft-_-.net_framework',
  'microsoft-_-office',
  'microsoft-_-onedrive',
  'microsoft-_-teams',
  'microsoft-_-edge_webview2',
  'microsoft-_-visual_c++_2015-2022_redistributable',
  'microsoft-_-visual_c++_2013_redistributable',
  'microsoft-_-visual_c++_2010_redistributable',
  'microsoft-_-.net_core',
  'microsoft-_-.net_desktop_runtime',
  'microsoft-_-powershell',
  'microsoft-_-onedrive_for_business',
  'microsoft-_-windows_defender',
  'microsoft-_-defender_for_endpoint',
];
/** The ids as a dashboard sends them: two repeated, which must cost nothing extra. */
const REQUESTED = [...DASHBOARD_IDS, 'microsoft-_-edge', 'microsoft-_-windows_10'];
const ENDPOINTS = ['software.getmissingkbs', 'software.vulnerabilities', 'software.distributions'];

const rest = createRestReference();

/** The planner's pre-execution estimate the response carries (`extensions.cost`). */
const estimateOf = (result: object) =>
  (result as { extensions?: { cost?: { estimatedCalls?: number } } }).extensions?.cost?.estimatedCalls;

/** The dashboard answer computed from the REST endpoints alone. */
async function expectedDashboard(ids: readonly string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const [kbs, vulnerabilities, distributions] = await Promise.all([
        rest.list<MissingKbDto>(`Software/${id}/getmissingkbs`),
        rest.list<VulnerabilityDto>(`Software/${id}/vulnerabilities`),
        rest.list<DistributionDto>(`Software/${id}/distributions`),
      ]);
      return {
        id,
        missingKbs: kbs.map(({ id, name, machineMissedOn, cveAddressed }) => ({
          id,
          name,
          machineMissedOn,
          cveAddressed,
        })),
        vulnerabilities: vulnerabilities
          .filter((v) => v.severity === 'Critical')
          .map((v) => ({ id: v.id, severity: 'CRITICAL', cvssV3: v.cvssV3 })),
        versionDistribution: distributions,
      };
    }),
  );
}

/** Upstream calls per route, e.g. `{ 'software.getmissingkbs': 20 }`. */
const perRoute = (log: readonly { route: string | null }[]) => {
  const counts: Record<string, number> = {};
  for (const entry of log) counts[entry.route ?? 'none'] = (counts[entry.route ?? 'none'] ?? 0) + 1;
  return counts;
};

describe('the dashboard query', () => {
  it('costs exactly one call per distinct (endpoint, id): 60 for 20 ids, no GET /Software/{id}', async () => {
    const { gql, emulator } = createTestApp();
    const result = await gql(DashboardDocument, { ids: REQUESTED });
    expect(result.errors).toBeUndefined();
    const expected = await expectedDashboard(DASHBOARD_IDS);
    for (const row of expected) {
      expect(row.missingKbs.length, row.id).toBeGreaterThan(0);
      expect(row.vulnerabilities.length, row.id).toBeGreaterThan(0);
    }
    const byId = new Map(expected.map((row) => [row.id, row]));
    expect(result.data?.softwareByIds).toEqual(REQUESTED.map((id) => byId.get(id)));

    expect(emulator.log).toHaveLength(60);
    // The field metadata lets the planner predict exactly that before executing anything.
    expect(estimateOf(result)).toBe(60);
    expect(perRoute(emulator.log)).toEqual(Object.fromEntries(ENDPOINTS.map((e) => [e, 20])));
    const pairs = new Set(emulator.log.map((e) => `${e.route} ${e.id}`));
    expect(pairs.size).toBe(60);
    expect(emulator.log.every((e) => e.status === 200)).toBe(true);
  });

  it('adds exactly one GET /Software/{id} per distinct id once entity fields are selected', async () => {
    const { gql, emulator, calls } = createTestApp();
    const result = await gql<{ softwareByIds: { id: string; name: string; weaknesses: number }[] }>(
      `query ($ids: [ID!]!) { softwareByIds(ids: $ids) {
        id name weaknesses missingKbs { id } vulnerabilities(severity: [CRITICAL]) { id } versionDistribution { version }
      } }`,
      { ids: REQUESTED },
    );
    expect(result.errors).toBeUndefined();
    const entities = await Promise.all(DASHBOARD_IDS.map((id) => rest.entity<SoftwareDto>(`Software/${id}`)));
    const weaknesses = new Map(entities.map((s) => [s.id, s.weaknesses]));
    expect(result.data?.softwareByIds.map((s) => [s.id, s.weaknesses])).toEqual(
      REQUESTED.map((id) => [id, weaknesses.get(id)]),
    );
    expect(
      calls('software.get')
        .map((c) => c.id)
        .sort(),
    ).toEqual([...DASHBOARD_IDS].sort());
    expect(emulator.log).toHaveLength(80);
    expect(estimateOf(result)).toBe(80);
  });

  it('fans out under the concurrency cap shared by every loader', async () => {
    const inFlight: Record<string, number> = {};
    const peak: Record<string, number> = {};
    const track =
      (inner: typeof fetch): typeof fetch =>
      async (input, init) => {
        const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
        const endpoint = path.slice(path.lastIndexOf('/') + 1);
        inFlight[endpoint] = (inFlight[endpoint] ?? 0) + 1;
        peak[endpoint] = Math.max(peak[endpoint] ?? 0, inFlight[endpoint]);
        try {
          await new Promise((resolve) => setTimeout(resolve, 2));
          return await inner(input, init);
        } finally {
          inFlight[endpoint] = (inFlight[endpoint] ?? 1) - 1;
        }
      };
    const { gql, emulator } = createTestApp({ maxConcurrency: 3, wrapFetch: track });
    const result = await gql(DashboardDocument, { ids: REQUESTED });
    expect(result.errors).toBeUndefined();
    expect(emulator.log).toHaveLength(60);
    expect(peak).toEqual({ getmissingkbs: 3, vulnerabilities: 3, distributions: 3 });
  });
});

describe('machine drill-down', () => {
  it('software → machines → missingKbs and software: one call per distinct (endpoint, id), software primed', async () => {
    const { gql, emulator } = createTestApp();
    const id = 'microsoft-_-azure_cli';
    const result = await gql(MachineDrillDownDocument, { id, first: 4 });
    expect(result.errors).toBeUndefined();
    const refs = await rest.list<MachineRefDto>(`Software/${id}/machineReferences`);
    expect(refs).toHaveLength(4);
    const machines = await Promise.all(
      refs.map(async (ref) => ({
        id: ref.id,
        computerDnsName: ref.computerDnsName,
        missingKbs: (await rest.list<MissingKbDto>(`machines/${ref.id}/getmissingkbs`)).map((kb) => ({
          id: kb.id,
        })),
        software: (await rest.list<SoftwareDto>(`machines/${ref.id}/software`)).map((s) => ({
          id: s.id,
          name: s.name,
        })),
      })),
    );
    expect(machines.every((m) => m.software.some((s) => s.id === id))).toBe(true);
    expect(result.data).toEqual({ software: { id, machines } });
    // 1 machineReferences + 4 getmissingkbs + 4 machine software lists; names come from those lists.
    expect(perRoute(emulator.log)).toEqual({
      'software.machinereferences': 1,
      'machines.getmissingkbs': 4,
      'machines.software': 4,
    });
    expect(estimateOf(result)).toBe(9);
  });

  it('refuses an unbounded per-device drill-down before any call; machines(first) makes it plannable', async () => {
    const { gql, emulator } = createTestApp();
    const id = 'microsoft-_-edge';
    const refused = await gql(`{ software(id: "${id}") { machines { missingKbs { id } } } }`);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
    expect(emulator.log).toHaveLength(0);

    const bounded = await gql<{ software: { machines: { id: string; missingKbs: { id: string }[] }[] } }>(
      `{ software(id: "${id}") { machines(first: 3) { id missingKbs { id } } } }`,
    );
    expect(bounded.errors).toBeUndefined();
    const refs = (await rest.list<MachineRefDto>(`Software/${id}/machineReferences`)).slice(0, 3);
    const kbs = await Promise.all(refs.map((r) => rest.list<MissingKbDto>(`machines/${r.id}/getmissingkbs`)));
    expect(bounded.data?.software.machines).toEqual(
      refs.map((r, i) => ({ id: r.id, missingKbs: kbs[i]?.map((kb) => ({ id: kb.id })) })),
    );
    expect(perRoute(emulator.log)).toEqual({ 'software.machinereferences': 1, 'machines.getmissingkbs': 3 });
    expect(estimateOf(bounded)).toBe(4);

    emulator.clearLog();
    const negative = await gql(`{ software(id: "${id}") { machines(first: -1) { id } } }`);
    expect(negative.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['software', 'machines'], 'BAD_USER_INPUT'],
    ]);
  });

  it('dedupes machines shared by several software, and software shared by several machines', async () => {
    const { dataset } = rest.emulator;
    const machinesOf = (id: string) =>
      new Set((dataset.installationsBySoftwareId.get(id) ?? []).map((i) => i.machineId));
    const small = dataset.software.filter(
      (s) => (s.installedMachines ?? 0) >= 2 && (s.installedMachines ?? 0) <= 6,
    );
    const pair = small
      .flatMap((a) => small.filter((b) => a.id < b.id).map((b) => [a.id, b.id] as const))
      .find(([a, b]) => [...machinesOf(a)].some((m) => machinesOf(b).has(m)));
    if (!pair) throw new Error('the demo dataset lacks two small products sharing a machine');
    const distinct = new Set([...machinesOf(pair[0]), ...machinesOf(pair[1])]);
    expect(distinct.size).toBeLessThan(machinesOf(pair[0]).size + machinesOf(pair[1]).size);

    const { gql, emulator } = createTestApp();
    const result = await gql(
      `query ($ids: [ID!]!) { softwareByIds(ids: $ids) {
        machines(first: 10) { id missingKbs { id } software { id name vendor weaknesses impactScore } }
      } }`,
      { ids: [...pair] },
    );
    expect(result.errors).toBeUndefined();
    expect(perRoute(emulator.log)).toEqual({
      'software.machinereferences': 2,
      'machines.getmissingkbs': distinct.size,
      'machines.software': distinct.size,
    });
    expect(new Set(emulator.log.map((e) => `${e.route} ${e.id}`)).size).toBe(emulator.log.length);
  });
});
