import type { DistributionDto, SoftwareDto } from '../../defender/types.js';
import type { CatalogEntry } from './catalog.js';
import type { Rng } from './prng.js';
import type { Installation, MachineDto, VulnerabilityRecord } from './types.js';
import { generateVersions } from './versions.js';
import { generateVulnerabilities } from './vulnerabilities.js';

/** Everything generated for one product; numbers on `dto` are derived from the other fields. */
export interface GeneratedSoftware {
  dto: SoftwareDto;
  installations: Installation[];
  distributions: DistributionDto[];
  vulnerabilities: VulnerabilityRecord[];
}

function installCount(rng: Rng, entry: CatalogEntry, eligible: number): number {
  if (eligible === 0) return 0;
  if (entry.share === 1) return eligible;
  const share = entry.share ?? 0.004 + rng.next() ** 3 * 0.35;
  const jitter = entry.share === undefined ? 1 : 0.97 + rng.next() * 0.06;
  return Math.min(eligible, Math.max(1, Math.round(eligible * share * jitter)));
}

function weaknessCount(rng: Rng, entry: CatalogEntry): number {
  if (entry.platform.startsWith('os=') && entry.share === 1) return rng.int(25, 60);
  if (entry.share !== undefined && entry.share >= 0.2) return rng.int(6, 40);
  return rng.chance(0.5) ? 0 : rng.int(1, 10);
}

// `count` distinct machines in draw order. Small samples use rejection (no copy of the pool); large ones a
// partial Fisher-Yates. Generation speed matters: every test file builds a dataset on a cold VM.
function sampleMachines(rng: Rng, eligible: readonly MachineDto[], count: number): MachineDto[] {
  if (count * 4 < eligible.length) {
    const picked = new Set<MachineDto>();
    while (picked.size < count) picked.add(rng.pick(eligible));
    return [...picked];
  }
  const pool = eligible.slice();
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as MachineDto, pool[i] as MachineDto];
  }
  pool.length = count;
  return pool;
}

function assignVersions(rng: Rng, id: string, machines: MachineDto[], versions: string[]): Installation[] {
  const n = versions.length;
  return machines.map((machine, i) => {
    // The first n installs cover every version once, so each distribution row has an installation;
    // the rest lean towards newer versions, as patched fleets do.
    const versionIndex = i < n ? i : n - 1 - Math.floor(rng.next() ** 1.8 * n);
    return { machineId: machine.id, softwareId: id, version: versions[versionIndex] as string, versionIndex };
  });
}

/**
 * Generates one product against the eligible machines. Consistency rules, relied on by the tests:
 * weaknesses = CVE count; installedMachines = installations (one per machine); exposedMachines counts
 * installations older than some CVE's fix; distributions sum to installedMachines.
 */
export function generateSoftware(
  rng: Rng,
  entry: CatalogEntry,
  eligible: readonly MachineDto[],
  fleetSize: number,
  cveIds: Set<string>,
): GeneratedSoftware {
  const id = `${entry.vendor}-_-${entry.name}`;
  const installed = installCount(rng, entry, eligible.length);
  const popular = entry.share !== undefined && entry.share >= 0.2;
  const versionCount = Math.max(1, Math.min(installed, popular ? rng.int(4, 7) : rng.int(1, 4)));
  const versions = generateVersions(rng, id, versionCount);
  const installations = assignVersions(rng, id, sampleMachines(rng, eligible, installed), versions);
  const weaknesses = installed === 0 ? 0 : weaknessCount(rng, entry);
  const vulnerabilities = generateVulnerabilities(rng, { ...entry, id }, weaknesses, versionCount, cveIds);

  // installedBelow[i] = installations on versions older than index i, so exposure is one lookup per CVE.
  const installedBelow = versions.map(() => 0).concat(0);
  for (const inst of installations)
    installedBelow[inst.versionIndex + 1] = (installedBelow[inst.versionIndex + 1] ?? 0) + 1;
  for (let i = 1; i < installedBelow.length; i++)
    installedBelow[i] = (installedBelow[i] ?? 0) + (installedBelow[i - 1] ?? 0);
  const vulnsAbove = versions.map(() => 0);
  let impact = 0;
  let maxFix = 0;
  for (const record of vulnerabilities) {
    record.dto.exposedMachines = installedBelow[record.fixedInIndex] ?? 0;
    impact += ((record.dto.cvssV3 ?? 0) * record.dto.exposedMachines) / fleetSize / 40;
    maxFix = Math.max(maxFix, record.fixedInIndex);
    for (let i = 0; i < record.fixedInIndex; i++) vulnsAbove[i] = (vulnsAbove[i] ?? 0) + 1;
  }
  const distributions = versions.map((version, i) => ({
    version,
    installations: (installedBelow[i + 1] ?? 0) - (installedBelow[i] ?? 0),
    vulnerabilities: vulnsAbove[i] ?? 0,
  }));
  const isOs = entry.platform.startsWith('os=') && entry.share === 1;
  const dto: SoftwareDto = {
    id,
    name: entry.name,
    vendor: entry.vendor,
    weaknesses,
    publicExploit: vulnerabilities.some((v) => v.dto.publicExploit),
    activeAlert: weaknesses > 0 && rng.chance(0.04),
    exposedMachines: installedBelow[maxFix] ?? 0,
    impactScore: Math.round(impact * 1e8) / 1e8,
    installedMachines: installed,
    isNormalized: true,
    category: isOs ? 'OS' : 'Application',
  };
  return { dto, installations, distributions, vulnerabilities };
}
