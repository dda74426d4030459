import { describe, expect, it } from 'vitest';
import { createDemoDataset, type Dataset } from '../../src/emulator/index.js';

const REQUIRED = [
  'microsoft-_-edge',
  'google-_-chrome',
  'adobe-_-acrobat_reader',
  'microsoft-_-windows_10',
  'microsoft-_-windows_11',
  'microsoft-_-.net_framework',
  'microsoft-_-internet_explorer',
  'microsoft-_-office',
  'mozilla-_-firefox',
  'oracle-_-jre',
  '7-zip-_-7-zip',
  'zoom-_-zoom',
];

const OS_PLATFORMS = ['Windows10', 'Windows11', 'WindowsServer2019', 'WindowsServer2022', 'Linux', 'macOS'];

describe('createDemoDataset', () => {
  it('is deterministic per seed and cached', () => {
    const a = createDemoDataset({ seed: 1234 });
    const b = createDemoDataset({ seed: 1234, softwareCount: 600 });
    expect(b).toBe(a);
    const fresh = createDemoDataset({ seed: 1234, softwareCount: 599 });
    expect(fresh.software.slice(0, 20).map((s) => s.id)).toEqual(a.software.slice(0, 20).map((s) => s.id));
    expect(fresh.machines).toEqual(a.machines.map((m) => expect.objectContaining({ id: m.id })));
  });

  it('differs between seeds', () => {
    const a = createDemoDataset({ seed: 1 });
    const b = createDemoDataset({ seed: 2 });
    expect(a.machines.map((m) => m.id)).not.toEqual(b.machines.map((m) => m.id));
    expect(a.softwareById.get('microsoft-_-edge')).not.toEqual(b.softwareById.get('microsoft-_-edge'));
    expect(a.software.map((s) => s.id)).not.toEqual(b.software.map((s) => s.id));
  });

  it('holds at least 500 software with unique, well-formed ids, including the required ones', () => {
    const dataset = createDemoDataset();
    expect(dataset.software.length).toBe(600);
    expect(new Set(dataset.software.map((s) => s.id)).size).toBe(600);
    for (const s of dataset.software) {
      expect(s.id).toBe(`${s.vendor}-_-${s.name}`);
      expect(s.id).toBe(s.id.toLowerCase());
      expect(s.id).not.toMatch(/\s/);
    }
    for (const id of REQUIRED) expect(dataset.softwareById.has(id), id).toBe(true);
    expect(dataset.softwareById.has("softwareok-_-don't_sleep")).toBe(true);
    expect(createDemoDataset({ seed: 5, softwareCount: 900 }).software.length).toBe(900);
  });

  it('has a realistic machine fleet', () => {
    const dataset = createDemoDataset();
    expect(dataset.machines.length).toBeGreaterThanOrEqual(400);
    expect(new Set(dataset.machines.map((m) => m.id)).size).toBe(dataset.machines.length);
    expect(new Set(dataset.machines.map((m) => m.computerDnsName)).size).toBe(dataset.machines.length);
    for (const m of dataset.machines) {
      expect(m.id).toMatch(/^[0-9a-f]{40}$/);
      expect(m.computerDnsName).toMatch(/^(wks|srv|lnx|mac)-\d{4}\.contoso\.local$/);
      expect(OS_PLATFORMS).toContain(m.osPlatform);
      expect(m.rbacGroupName.length).toBeGreaterThan(0);
    }
    expect(new Set(dataset.machines.map((m) => m.osPlatform))).toEqual(new Set(OS_PLATFORMS));
  });

  it.each([42, 7])('keeps every count consistent across the whole dataset (seed %i)', (seed) => {
    checkConsistency(createDemoDataset({ seed }));
  });

  it('gives Microsoft software KBs and everything else none', () => {
    const dataset = createDemoDataset();
    expect(dataset.missingKbsBySoftwareId.get('microsoft-_-edge')?.length).toBeGreaterThanOrEqual(3);
    expect(dataset.missingKbsBySoftwareId.get('microsoft-_-windows_10')?.length).toBeGreaterThanOrEqual(3);
    for (const s of dataset.software) {
      if (s.vendor !== 'microsoft') expect(dataset.missingKbsBySoftwareId.get(s.id), s.id).toEqual([]);
    }
    const withIe = dataset.missingKbsBySoftwareId.get('microsoft-_-internet_explorer') ?? [];
    expect(withIe.some((kb) => kb.productsNames.join() === 'windows_10,internet_explorer')).toBe(true);
  });
});

function checkConsistency(dataset: Dataset): void {
  const kbIds = new Set<string>();
  for (const kb of dataset.kbs) {
    expect(kbIds.has(kb.id)).toBe(false);
    kbIds.add(kb.id);
    expect(Number(kb.id)).toBeGreaterThanOrEqual(4_000_000);
    expect(Number(kb.id)).toBeLessThan(6_000_000);
  }
  for (const s of dataset.software) {
    const installs = dataset.installationsBySoftwareId.get(s.id) ?? [];
    const vulns = dataset.vulnerabilitiesBySoftwareId.get(s.id) ?? [];
    const dist = dataset.distributionsBySoftwareId.get(s.id) ?? [];
    expect(new Set(installs.map((i) => i.machineId)).size).toBe(installs.length);
    expect(s.installedMachines).toBe(installs.length);
    expect(s.weaknesses).toBe(vulns.length);
    expect(s.exposedMachines).toBeLessThanOrEqual(installs.length);
    expect(s.exposedMachines > 0).toBe(s.weaknesses > 0 && installs.length > 0);
    expect(s.publicExploit).toBe(vulns.some((v) => v.publicExploit));
    expect(s.impactScore).toBeGreaterThanOrEqual(0);
    expect(s.impactScore).toBeLessThan(20);
    expect(dist.reduce((n, d) => n + d.installations, 0)).toBe(installs.length);
    for (const d of dist) {
      expect(d.vulnerabilities).toBeLessThanOrEqual(s.weaknesses);
      expect(installs.filter((i) => i.version === d.version).length).toBe(d.installations);
    }
    for (const v of vulns) {
      expect(v.id).toMatch(/^CVE-\d{4}-\d{5}$/);
      expect(v.publishedOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(v.exposedMachines).toBeLessThanOrEqual(s.exposedMachines);
      expect(dataset.vulnerabilitiesById.get(v.id)).toBe(v);
    }
    for (const kb of dataset.missingKbsBySoftwareId.get(s.id) ?? []) {
      expect(kbIds.has(kb.id)).toBe(true);
      expect(kb.url).toBe(`https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB${kb.id}`);
      expect(kb.productsNames).toContain(s.name);
      expect(kb.cveAddressed).toBeGreaterThanOrEqual(1);
      expect(kb.cveAddressed).toBeLessThanOrEqual(s.weaknesses);
      expect(kb.machineMissedOn).toBeGreaterThanOrEqual(1);
      expect(kb.machineMissedOn).toBeLessThanOrEqual(installs.length);
      // machineMissedOn counts exactly this product's machines whose by-machine list holds the KB.
      const listing = installs.filter((i) =>
        dataset.missingKbsByMachineId.get(i.machineId)?.some((m) => m.id === kb.id),
      );
      expect(listing.length).toBe(kb.machineMissedOn);
    }
  }
  for (const m of dataset.machines) {
    const installed = new Set((dataset.installationsByMachineId.get(m.id) ?? []).map((i) => i.softwareId));
    for (const kb of dataset.missingKbsByMachineId.get(m.id) ?? []) {
      expect(kb.machineMissedOn).toBe(1);
      const patched = dataset.kbs.find((k) => k.id === kb.id)?.owners.map((o) => o.softwareId) ?? [];
      expect(patched.some((id) => installed.has(id))).toBe(true);
    }
  }
}
