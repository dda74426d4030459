import { describe, expect, it } from 'vitest';
import type {
  DistributionDto,
  MachineRefDto,
  MissingKbDto,
  SoftwareDto,
  VulnerabilityDto,
} from '../../src/defender/types.js';
import type { MachineDto } from '../../src/emulator/index.js';
import { MachineByIdDocument, SoftwareDrillDownDocument, VulnerabilityByIdDocument } from '../gql/graphql.js';
import { createTestApp } from '../helpers/app.js';
import { createRestReference } from '../helpers/rest.js';

const rest = createRestReference();
const { dataset } = rest.emulator;

/** A REST vulnerability as GraphQL must print it: enum names upper case, omitted optionals null. */
const vulnerabilityAsGraph = (v: VulnerabilityDto) => ({
  ...v,
  severity: v.severity.toUpperCase(),
  cvssV3: v.cvssV3 ?? null,
  cvssVector: v.cvssVector ?? null,
  firstDetected: v.firstDetected ?? null,
  cveSupportability: v.cveSupportability ?? null,
  tags: v.tags ?? [],
  epss: v.epss ?? null,
});

const machineRef = (m: MachineRefDto) => ({
  id: m.id,
  computerDnsName: m.computerDnsName,
  osPlatform: m.osPlatform,
  rbacGroupName: m.rbacGroupName,
});

/** A REST machine as GraphQL must print it: the group id as a string, `osProcessor` not selected. */
const machineAsGraph = (m: MachineDto) => {
  const { osProcessor: _deprecated, ...rest } = m;
  return {
    ...rest,
    rbacGroupId: String(m.rbacGroupId),
    ipAddresses: (m as { ipAddresses?: unknown[] }).ipAddresses ?? [],
  };
};

const routes = (log: readonly { route: string | null }[]) => log.map((e) => e.route).sort();

describe('Software drill-down fields equal the REST sub-resources', () => {
  it.each(['microsoft-_-edge', 'google-_-chrome', 'microsoft-_-visio', 'adobe-_-acrobat_reader'])(
    '%s: versionDistribution, machines and vulnerabilities, field by field, one call each',
    async (id) => {
      const { gql, emulator } = createTestApp();
      const result = await gql(SoftwareDrillDownDocument, { id });
      expect(result.errors).toBeUndefined();
      const [distributions, refs, vulnerabilities] = await Promise.all([
        rest.list<DistributionDto>(`Software/${id}/distributions`),
        rest.list<MachineRefDto>(`Software/${id}/machineReferences`),
        rest.list<VulnerabilityDto>(`Software/${id}/vulnerabilities`),
      ]);
      expect(distributions.length).toBeGreaterThan(0);
      expect(refs.length).toBeGreaterThan(0);
      expect(result.data).toEqual({
        software: {
          id,
          versionDistribution: distributions,
          machines: refs.map(machineRef),
          vulnerabilities: vulnerabilities.map(vulnerabilityAsGraph),
        },
      });
      // The existence probe reuses one of the three calls; reference fields need no machine call.
      expect(routes(emulator.log)).toEqual([
        'software.distributions',
        'software.machinereferences',
        'software.vulnerabilities',
      ]);
    },
  );

  it('filters vulnerabilities by severity in the layer, with one upstream call for every filter', async () => {
    const { gql, calls, emulator } = createTestApp();
    const id = 'microsoft-_-edge';
    const result = await gql<Record<string, { id: string; severity: string }[]>>(`{
      software(id: "${id}") {
        all: vulnerabilities { id severity }
        critical: vulnerabilities(severity: [CRITICAL]) { id severity }
        highOrMedium: vulnerabilities(severity: [HIGH, MEDIUM]) { id severity }
        none: vulnerabilities(severity: []) { id }
        unfiltered: vulnerabilities(severity: null) { id }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const all = (await rest.list<VulnerabilityDto>(`Software/${id}/vulnerabilities`)).map((v) => ({
      id: v.id,
      severity: v.severity.toUpperCase(),
    }));
    const only = (...severities: string[]) => all.filter((v) => severities.includes(v.severity));
    expect(only('CRITICAL').length).toBeGreaterThan(0);
    expect(only('HIGH', 'MEDIUM').length).toBeGreaterThan(0);
    expect(only('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')).toHaveLength(all.length);
    expect(result.data?.software).toEqual({
      all,
      critical: only('CRITICAL'),
      highOrMedium: only('HIGH', 'MEDIUM'),
      none: [],
      unfiltered: all.map((v) => ({ id: v.id })),
    });
    expect(calls('software.vulnerabilities')).toHaveLength(1);
    expect(emulator.log).toHaveLength(1);
  });
});

describe('Machine fields equal the REST machine endpoints', () => {
  const windows = dataset.machines.find(
    (m) => m.osPlatform === 'Windows10' && (dataset.missingKbsByMachineId.get(m.id)?.length ?? 0) > 2,
  );
  const linux = dataset.machines.find((m) => m.osPlatform === 'Linux' && m.osBuild === null);
  const tagged = dataset.machines.find((m) => m.machineTags.length > 0);

  it.each([
    ['a Windows machine missing KBs', windows],
    ['a Linux machine without OS build or AAD id', linux],
    ['a tagged machine', tagged],
  ])('%s: GET /machines/{id}, its missing KBs and software, one call each', async (_, machine) => {
    if (!machine) throw new Error('the demo dataset lacks a machine this test needs');
    const { gql, emulator } = createTestApp();
    const result = await gql(MachineByIdDocument, { id: machine.id });
    expect(result.errors).toBeUndefined();
    const [entity, kbs, software] = await Promise.all([
      rest.entity<MachineDto>(`machines/${machine.id}`),
      rest.list<MissingKbDto>(`machines/${machine.id}/getmissingkbs`),
      rest.list<SoftwareDto>(`machines/${machine.id}/software`),
    ]);
    expect(software.length).toBeGreaterThan(0);
    expect(result.data).toEqual({
      machine: {
        ...machineAsGraph(entity),
        missingKbs: kbs,
        software: software.map((s) => ({
          ...s,
          installedMachines: s.installedMachines ?? null,
          isNormalized: s.isNormalized ?? null,
          category: s.category ?? null,
        })),
      },
    });
    // Software entity fields come from the machine's software list: no GET /api/Software/{id}.
    expect(routes(emulator.log)).toEqual(['machines.get', 'machines.getmissingkbs', 'machines.software']);
  });

  it('serves reference fields from machineReferences and full fields with one GET per distinct machine', async () => {
    const { gql, calls, emulator } = createTestApp();
    const id = 'microsoft-_-visio';
    const refs = await rest.list<MachineRefDto>(`Software/${id}/machineReferences`);
    expect(refs.length).toBe(2);
    const cheap = await gql(
      `{ software(id: "${id}") { machines { id computerDnsName osPlatform rbacGroupName } } }`,
    );
    expect(cheap.data).toEqual({ software: { machines: refs.map(machineRef) } });
    expect(routes(emulator.log)).toEqual(['software.machinereferences']);

    emulator.clearLog();
    const [first] = refs as [MachineRefDto];
    const full = await gql(`{
      a: software(id: "${id}") { machines(first: 2) { lastSeen } }
      b: software(id: "${id}") { machines(first: 5) { id riskScore computerDnsName } }
      c: machine(id: "${first.id}") { osBuild computerDnsName }
    }`);
    expect(full.errors).toBeUndefined();
    const entities = await Promise.all(refs.map((r) => rest.entity<MachineDto>(`machines/${r.id}`)));
    expect(full.data).toEqual({
      a: { machines: entities.map((m) => ({ lastSeen: m.lastSeen })) },
      b: {
        machines: entities.map((m) => ({
          id: m.id,
          riskScore: m.riskScore,
          computerDnsName: m.computerDnsName,
        })),
      },
      c: { osBuild: entities[0]?.osBuild, computerDnsName: first.computerDnsName },
    });
    expect(
      calls('machines.get')
        .map((c) => c.id)
        .sort(),
    ).toEqual(refs.map((r) => r.id).sort());
    expect(calls('software.machinereferences')).toHaveLength(1);
    expect(emulator.log).toHaveLength(3);
  });
});

describe('Vulnerability fields equal the REST vulnerability endpoints', () => {
  it('vulnerability(id) and its machines, field by field, one call each', async () => {
    const cve = [...dataset.vulnerabilitiesById.values()].find(
      (v) => v.exposedMachines > 1 && v.publicExploit,
    );
    if (!cve) throw new Error('the demo dataset lacks an exploited CVE on several machines');
    const { gql, emulator } = createTestApp();
    const result = await gql(VulnerabilityByIdDocument, { id: cve.id });
    expect(result.errors).toBeUndefined();
    const entity = await rest.entity<VulnerabilityDto>(`vulnerabilities/${cve.id}`);
    const machines = await rest.list<MachineRefDto>(`vulnerabilities/${cve.id}/machineReferences`);
    expect(machines.length).toBe(cve.exposedMachines);
    expect(entity.exploitTypes.length).toBeGreaterThan(0);
    expect(result.data).toEqual({
      vulnerability: { ...vulnerabilityAsGraph(entity), machines: machines.map(machineRef) },
    });
    expect(routes(emulator.log)).toEqual(['vulnerabilities.get', 'vulnerabilities.machinereferences']);
  });
});
