/**
 * Defender REST DTOs as documented (defender-api.md §4). JSON property names are camelCase.
 * These types are shared by the client, the schema and the emulator, so a shape change is one edit.
 */

/** `GET /api/Software/{id}` and items of `GET /api/Software` (§4.1). */
export interface SoftwareDto {
  id: string;
  name: string;
  vendor: string;
  weaknesses: number;
  publicExploit: boolean;
  activeAlert: boolean;
  exposedMachines: number;
  impactScore: number;
  /** Observed, undocumented extras: optional. */
  installedMachines?: number;
  isNormalized?: boolean;
  category?: string;
}

/** `microsoft.windowsDefenderATP.api.PublicProductFixDto`: one missing security update (§4.4). */
export interface MissingKbDto {
  /** KB number without the "KB" prefix, e.g. "4540673". */
  id: string;
  name: string;
  productsNames: string[];
  url: string;
  machineMissedOn: number;
  cveAddressed: number;
}

/** `GET /api/Software/{id}/distributions` item (§4.2). */
export interface DistributionDto {
  version: string;
  installations: number;
  vulnerabilities: number;
}

/** `machineReferences` item (§4.3). */
export interface MachineRefDto {
  id: string;
  computerDnsName: string;
  osPlatform: string;
  rbacGroupName: string;
}

/** One entry of a machine's `ipAddresses` (§4.7). */
export interface MachineIpAddressDto {
  ipAddress: string | null;
  macAddress: string | null;
  operationalStatus: string | null;
}

/**
 * `GET /api/machines/{id}` (§4.7), as the layer reads it: the reference fields are required, the rest
 * is nullable because real devices often lack them (no IP while offline, no AAD join, no OS build).
 */
export interface MachineDto extends MachineRefDto {
  firstSeen: string | null;
  lastSeen: string | null;
  osProcessor: string | null;
  osArchitecture: string | null;
  version: string | null;
  osBuild: number | null;
  lastIpAddress: string | null;
  lastExternalIpAddress: string | null;
  healthStatus: string | null;
  onboardingStatus: string | null;
  /** Documented as a string, printed as a number in the docs' example; kept as a string. */
  rbacGroupId: string | null;
  riskScore: string | null;
  exposureLevel: string | null;
  deviceValue: string | null;
  aadDeviceId: string | null;
  isAadJoined: boolean | null;
  machineTags: string[];
  ipAddresses: MachineIpAddressDto[];
}

/** `PublicVulnerabilityDto` (§4.5). */
export interface VulnerabilityDto {
  id: string;
  name: string;
  description: string;
  severity: 'Low' | 'Medium' | 'High' | 'Critical';
  cvssV3: number | null;
  cvssVector?: string | null;
  exposedMachines: number;
  publishedOn: string;
  updatedOn: string;
  firstDetected?: string | null;
  publicExploit: boolean;
  exploitVerified: boolean;
  exploitInKit: boolean;
  exploitTypes: string[];
  exploitUris: string[];
  cveSupportability?: string | null;
  tags?: string[];
  epss?: number | null;
}

/** OData collection envelope. */
export interface ODataCollection<T> {
  '@odata.context'?: string;
  '@odata.nextLink'?: string;
  value: T[];
}

/** Defender error body (§6.1). */
export interface DefenderErrorBody {
  error: { code: string; message: string; target?: string };
}
