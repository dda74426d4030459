import type {
  DistributionDto,
  MachineRefDto,
  MissingKbDto,
  SoftwareDto,
  VulnerabilityDto,
} from '../../defender/types.js';

/** `GET /api/machines/{id}` (defender-api.md §4.7). Emulator-only: the shared DTOs stop at MachineRef. */
export interface MachineDto extends MachineRefDto {
  firstSeen: string;
  lastSeen: string;
  osProcessor: string;
  osArchitecture: string;
  version: string;
  osBuild: number | null;
  lastIpAddress: string;
  lastExternalIpAddress: string;
  healthStatus: 'Active' | 'Inactive' | 'ImpairedCommunication';
  onboardingStatus: 'Onboarded';
  rbacGroupId: number;
  riskScore: 'None' | 'Informational' | 'Low' | 'Medium' | 'High';
  exposureLevel: 'None' | 'Low' | 'Medium' | 'High';
  deviceValue: 'Normal' | 'Low' | 'High';
  aadDeviceId: string | null;
  isAadJoined: boolean;
  machineTags: string[];
}

/** One product installed on one machine. */
export interface Installation {
  machineId: string;
  softwareId: string;
  version: string;
  /** Position of `version` in the product's ascending version list; lower means older. */
  versionIndex: number;
}

/** A CVE plus the facts that tie it to the fleet. */
export interface VulnerabilityRecord {
  dto: VulnerabilityDto;
  softwareId: string;
  /** Installations with `versionIndex` below this are exposed; equal to the version count when unfixed. */
  fixedInIndex: number;
  /** KB number that fixes it (Microsoft products only), else null. */
  fixingKbId: string | null;
}

/** A Microsoft security update and, per product it patches, the version that includes it. */
export interface KbRecord {
  id: string;
  name: string;
  owners: { softwareId: string; fixedInIndex: number; cveIds: string[] }[];
  /** Machines where at least one owner product is older than the fixed version. */
  missingOn: ReadonlySet<string>;
}

/**
 * The emulator's whole world. Every number is derived from the installations, so counts agree across
 * endpoints. Objects are shared between emulators (cached per seed): handlers must copy, never mutate.
 * Map keys are the ids as the API prints them (software and machine ids lower-case, CVE ids upper-case).
 */
export interface Dataset {
  readonly seed: number;
  /** Software in the stable order `GET /api/Software` lists them. */
  readonly software: readonly SoftwareDto[];
  readonly softwareById: ReadonlyMap<string, SoftwareDto>;
  readonly installationsBySoftwareId: ReadonlyMap<string, readonly Installation[]>;
  readonly distributionsBySoftwareId: ReadonlyMap<string, readonly DistributionDto[]>;
  readonly vulnerabilitiesBySoftwareId: ReadonlyMap<string, readonly VulnerabilityDto[]>;
  readonly missingKbsBySoftwareId: ReadonlyMap<string, readonly MissingKbDto[]>;
  readonly machines: readonly MachineDto[];
  readonly machinesById: ReadonlyMap<string, MachineDto>;
  readonly installationsByMachineId: ReadonlyMap<string, readonly Installation[]>;
  readonly missingKbsByMachineId: ReadonlyMap<string, readonly MissingKbDto[]>;
  readonly vulnerabilitiesById: ReadonlyMap<string, VulnerabilityDto>;
  readonly vulnerabilityRecordsById: ReadonlyMap<string, VulnerabilityRecord>;
  readonly kbs: readonly KbRecord[];
}
