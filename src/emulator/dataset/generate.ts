import type { DistributionDto, MissingKbDto, SoftwareDto, VulnerabilityDto } from '../../defender/types.js';
import { selectCatalog } from './catalog.js';
import { generateKbs, missingKbForMachine, missingKbForSoftware } from './kbs.js';
import { eligibleMachines, generateMachines } from './machines.js';
import { createRng } from './prng.js';
import { type GeneratedSoftware, generateSoftware } from './software.js';
import type { Dataset, Installation, KbRecord, MachineDto, VulnerabilityRecord } from './types.js';

/** Options for {@link createDemoDataset}. */
export interface DemoDatasetOptions {
  /** PRNG seed; the same seed always yields the same dataset. @default 42 */
  seed?: number;
  /** Number of software products. @default 600 */
  softwareCount?: number;
  /** Number of machines in the fleet. @default 600 */
  machineCount?: number;
}

const cache = new Map<string, Dataset>();

/**
 * A deterministic demo tenant: software, machines, installations, CVEs and Microsoft KBs whose counts
 * agree with each other. Cached per option set because every test builds an emulator; the result is
 * shared, so treat it as read-only.
 */
export function createDemoDataset(options: DemoDatasetOptions = {}): Dataset {
  const seed = options.seed ?? 42;
  const softwareCount = options.softwareCount ?? 600;
  const machineCount = options.machineCount ?? 600;
  const key = `${seed}:${softwareCount}:${machineCount}`;
  let dataset = cache.get(key);
  if (!dataset) {
    dataset = buildDataset(seed, softwareCount, machineCount);
    cache.set(key, dataset);
  }
  return dataset;
}

function buildDataset(seed: number, softwareCount: number, machineCount: number): Dataset {
  const rng = createRng(seed);
  const machines = generateMachines(rng, machineCount);
  const eligibleByPlatform = new Map<string, MachineDto[]>();
  const cveIds = new Set<string>();
  const generated: GeneratedSoftware[] = [];
  for (const entry of selectCatalog(rng, softwareCount)) {
    let eligible = eligibleByPlatform.get(entry.platform);
    if (!eligible) {
      eligible = eligibleMachines(machines, entry.platform);
      eligibleByPlatform.set(entry.platform, eligible);
    }
    generated.push(generateSoftware(rng, entry, eligible, machineCount, cveIds));
  }

  const installationsBySoftwareId = new Map<string, Installation[]>();
  const installationsByMachineId = new Map<string, Installation[]>(machines.map((m) => [m.id, []]));
  const vulnerabilityRecordsById = new Map<string, VulnerabilityRecord>();
  for (const { dto, installations, vulnerabilities } of generated) {
    installationsBySoftwareId.set(dto.id, installations);
    for (const inst of installations) installationsByMachineId.get(inst.machineId)?.push(inst);
    for (const record of vulnerabilities) vulnerabilityRecordsById.set(record.dto.id, record);
  }

  const microsoft = generated
    .filter((g) => g.dto.vendor === 'microsoft')
    .map((g) => ({ softwareId: g.dto.id, versionCount: g.distributions.length, vulns: g.vulnerabilities }));
  const kbs = generateKbs(rng, microsoft, installationsBySoftwareId, vulnerabilityRecordsById);
  const { bySoftware: missingKbsBySoftwareId, byMachine: missingKbsByMachineId } = indexMissingKbs(
    kbs,
    generated,
    machines,
    installationsBySoftwareId,
  );
  scoreMachines(machines, generated, installationsByMachineId);
  const software: SoftwareDto[] = generated.map((g) => g.dto);
  return {
    seed,
    software,
    softwareById: new Map(software.map((s) => [s.id, s])),
    installationsBySoftwareId,
    distributionsBySoftwareId: new Map<string, DistributionDto[]>(
      generated.map((g) => [g.dto.id, g.distributions]),
    ),
    vulnerabilitiesBySoftwareId: new Map<string, VulnerabilityDto[]>(
      generated.map((g) => [g.dto.id, g.vulnerabilities.map((v) => v.dto)]),
    ),
    missingKbsBySoftwareId,
    machines,
    machinesById: new Map(machines.map((m) => [m.id, m])),
    installationsByMachineId,
    missingKbsByMachineId,
    vulnerabilitiesById: new Map([...vulnerabilityRecordsById].map(([id, r]) => [id, r.dto])),
    vulnerabilityRecordsById,
    kbs,
  };
}

// Both API views of the KBs: per product (machines of that product missing it) and per machine.
function indexMissingKbs(
  kbs: readonly KbRecord[],
  generated: readonly GeneratedSoftware[],
  machines: readonly MachineDto[],
  installationsBySoftwareId: ReadonlyMap<string, readonly Installation[]>,
): { bySoftware: Map<string, MissingKbDto[]>; byMachine: Map<string, MissingKbDto[]> } {
  const names = new Map(generated.map((g) => [g.dto.id, g.dto.name]));
  const bySoftware = new Map<string, MissingKbDto[]>(generated.map((g) => [g.dto.id, []]));
  const byMachine = new Map<string, MissingKbDto[]>(machines.map((m) => [m.id, []]));
  // Newest KB first, like the portal lists them.
  for (const kb of [...kbs].reverse()) {
    for (const owner of kb.owners) {
      const installs = installationsBySoftwareId.get(owner.softwareId) ?? [];
      bySoftware.get(owner.softwareId)?.push(missingKbForSoftware(kb, owner, installs, names));
    }
    const perMachine = missingKbForMachine(kb, names);
    for (const machineId of kb.missingOn) byMachine.get(machineId)?.push(perMachine);
  }
  return { bySoftware, byMachine };
}

// Risk follows from what is actually exposed on the machine, so machine and software views agree.
function scoreMachines(
  machines: MachineDto[],
  generated: readonly GeneratedSoftware[],
  installationsByMachineId: ReadonlyMap<string, readonly Installation[]>,
): void {
  const distributions = new Map(generated.map((g) => [g.dto.id, g.distributions]));
  for (const machine of machines) {
    let exposed = 0;
    for (const inst of installationsByMachineId.get(machine.id) ?? []) {
      exposed += distributions.get(inst.softwareId)?.[inst.versionIndex]?.vulnerabilities ?? 0;
    }
    machine.exposureLevel = exposed === 0 ? 'None' : exposed < 20 ? 'Low' : exposed < 80 ? 'Medium' : 'High';
    machine.riskScore = exposed === 0 ? 'None' : exposed < 10 ? 'Low' : exposed < 60 ? 'Medium' : 'High';
  }
}
