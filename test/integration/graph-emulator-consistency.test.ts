import { describe, expect, it } from 'vitest';
import type {
  DistributionDto,
  MachineRefDto,
  MissingKbDto,
  SoftwareDto,
  VulnerabilityDto,
} from '../../src/defender/types.js';
import type { MachineDto } from '../../src/emulator/index.js';
import { createRestReference } from '../helpers/rest.js';

/**
 * Issue 4 item 6, checked through the REST API itself (the dataset unit test checks the generator's
 * maps): one consistent world across every endpoint the graph joins.
 */
const rest = createRestReference();
const SAMPLE = [
  'microsoft-_-edge',
  'microsoft-_-windows_11',
  'microsoft-_-visio',
  'microsoft-_-azure_cli',
  'google-_-chrome',
  'adobe-_-acrobat_reader',
  "softwareok-_-don't_sleep",
];

describe('the emulator serves one consistent dataset over REST', () => {
  it.each(SAMPLE)('%s: weaknesses, installations, machine references and KBs agree', async (id) => {
    const path = `Software/${encodeURIComponent(id)}`;
    const [software, distributions, refs, vulnerabilities, kbs, catalog] = await Promise.all([
      rest.entity<SoftwareDto>(path),
      rest.list<DistributionDto>(`${path}/distributions`),
      rest.list<MachineRefDto>(`${path}/machineReferences`),
      rest.list<VulnerabilityDto>(`${path}/vulnerabilities`),
      rest.list<MissingKbDto>(`${path}/getmissingkbs`),
      rest.list<SoftwareDto>('Software'),
    ]);
    expect(software.weaknesses).toBe(vulnerabilities.length);
    expect(distributions.reduce((n, d) => n + d.installations, 0)).toBe(software.installedMachines);
    expect(refs).toHaveLength(software.installedMachines ?? -1);
    for (const d of distributions) expect(d.vulnerabilities).toBeLessThanOrEqual(software.weaknesses);

    // Every machine reference is a real machine with the same reference fields, listing this software.
    for (const ref of refs) {
      const machine = await rest.entity<MachineDto>(`machines/${ref.id}`);
      expect({
        id: machine.id,
        computerDnsName: machine.computerDnsName,
        osPlatform: machine.osPlatform,
        rbacGroupName: machine.rbacGroupName,
      }).toEqual(ref);
      const installed = await rest.list<SoftwareDto>(`machines/${ref.id}/software`);
      expect(installed.find((s) => s.id === id)).toEqual(software);
    }

    // KB product names are software names of the inventory, this product's among them.
    const names = new Set(catalog.map((s) => s.name));
    for (const kb of kbs) {
      expect(kb.productsNames).toContain(software.name);
      for (const name of kb.productsNames) expect(names.has(name), name).toBe(true);
    }
    if (software.vendor !== 'microsoft') expect(kbs).toEqual([]);
  });

  it("lists a machine's missing KBs only for products installed on it", async () => {
    const [ref] = await rest.list<MachineRefDto>('Software/microsoft-_-windows_11/machineReferences');
    if (!ref) throw new Error('windows_11 has no machines');
    const kbs = await rest.list<MissingKbDto>(`machines/${ref.id}/getmissingkbs`);
    const installed = new Set(
      (await rest.list<SoftwareDto>(`machines/${ref.id}/software`)).map((s) => s.name),
    );
    expect(kbs.length).toBeGreaterThan(0);
    for (const kb of kbs) {
      expect(kb.machineMissedOn).toBe(1);
      expect(
        kb.productsNames.some((name) => installed.has(name)),
        kb.id,
      ).toBe(true);
    }
  });

  it.each([
    'Software/contoso-_-nothing',
    'Software/contoso-_-nothing/distributions',
    'Software/contoso-_-nothing/machineReferences',
    'Software/contoso-_-nothing/vulnerabilities',
    'Software/contoso-_-nothing/getmissingkbs',
    'machines/0000000000000000000000000000000000000000',
    'machines/0000000000000000000000000000000000000000/getmissingkbs',
    'machines/0000000000000000000000000000000000000000/software',
    'machines/0000000000000000000000000000000000000000/vulnerabilities',
    'vulnerabilities/CVE-1999-00000',
    'vulnerabilities/CVE-1999-00000/machineReferences',
  ])('answers 404 ResourceNotFound for an unknown id on %s', async (path) => {
    const result = await rest.get<{ error: { code: string } }>(path);
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('ResourceNotFound');
  });
});
