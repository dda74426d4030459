import DataLoader from 'dataloader';
import type { DefenderClient } from '../defender/client.js';
import type { Fetched } from '../defender/http.js';
import type {
  DistributionDto,
  MachineDto,
  MachineRefDto,
  MissingKbDto,
  SoftwareDto,
  VulnerabilityDto,
} from '../defender/types.js';
import { mapSettled } from './concurrency.js';

/**
 * Per-request loaders: one instance per GraphQL operation, so nothing is shared across callers. Every
 * loader is keyed by the id in its URL, so one distinct id costs one call per endpoint per operation.
 */
export interface Loaders {
  /** `GET /api/Software/{id}`; also primed from `GET /api/machines/{id}/software` answers. */
  software: DataLoader<string, Fetched<SoftwareDto>>;
  /** `GET /api/Software/{id}/getmissingkbs`. */
  missingKbs: DataLoader<string, Fetched<MissingKbDto[]>>;
  /** `GET /api/Software/{id}/distributions`. */
  distributions: DataLoader<string, Fetched<DistributionDto[]>>;
  /** `GET /api/Software/{id}/machineReferences`. */
  machineReferences: DataLoader<string, Fetched<MachineRefDto[]>>;
  /** `GET /api/Software/{id}/vulnerabilities`. */
  softwareVulnerabilities: DataLoader<string, Fetched<VulnerabilityDto[]>>;
  /** `GET /api/machines/{id}`. */
  machine: DataLoader<string, Fetched<MachineDto>>;
  /** `GET /api/machines/{id}/getmissingkbs`. */
  machineMissingKbs: DataLoader<string, Fetched<MissingKbDto[]>>;
  /** `GET /api/machines/{id}/software`. */
  machineSoftware: DataLoader<string, Fetched<SoftwareDto[]>>;
  /** `GET /api/vulnerabilities/{cveId}`; also primed from `GET /api/Software/{id}/vulnerabilities` answers. */
  vulnerability: DataLoader<string, Fetched<VulnerabilityDto>>;
  /** `GET /api/vulnerabilities/{cveId}/machineReferences`. */
  vulnerabilityMachines: DataLoader<string, Fetched<MachineRefDto[]>>;
}

/** Options of {@link createLoaders}. */
export interface LoaderOptions {
  /** Calls in flight per batch; Defender has no batch endpoint, so a batch fans out. @default 10 */
  maxConcurrency?: number;
  /** Aborts in-flight calls when the GraphQL request goes away. */
  signal?: AbortSignal;
}

/**
 * Creates the loaders of one request. Each batch function makes one call per distinct key (DataLoader
 * dedupes keys within the request) under the shared concurrency cap, and reports failures per key, so
 * one bad id never fails its siblings.
 */
export function createLoaders(client: DefenderClient, options: LoaderOptions = {}): Loaders {
  const limit = options.maxConcurrency ?? 10;
  const { signal } = options;
  // Methods are called through the client object (never detached), so wrappers that rely on `this` work.
  const loader = <V>(call: (id: string, signal?: AbortSignal) => Promise<V>) =>
    new DataLoader<string, V>((ids) => mapSettled(ids, limit, (id) => call(id, signal)));

  const software = loader((id, s) => client.getSoftware(id, s));
  // A machine's software list carries whole Software entities: seed the entity loader with them, so
  // `name`, `vendor`, … of that software cost no `GET /api/Software/{id}` later in the operation.
  const machineSoftware = loader(async (id, s) => {
    const fetched = await client.getMachineSoftware(id, s);
    for (const dto of fetched.value) software.prime(dto.id, { ...fetched, value: dto });
    return fetched;
  });
  // Likewise a software's vulnerability list carries whole vulnerabilities.
  const vulnerability = loader((id, s) => client.getVulnerability(id, s));
  const softwareVulnerabilities = loader(async (id, s) => {
    const fetched = await client.getSoftwareVulnerabilities(id, s);
    for (const dto of fetched.value) vulnerability.prime(dto.id, { ...fetched, value: dto });
    return fetched;
  });
  return {
    software,
    missingKbs: loader((id, s) => client.getMissingKbs(id, s)),
    distributions: loader((id, s) => client.getDistributions(id, s)),
    machineReferences: loader((id, s) => client.getMachineReferences(id, s)),
    softwareVulnerabilities,
    machine: loader((id, s) => client.getMachine(id, s)),
    machineMissingKbs: loader((id, s) => client.getMachineMissingKbs(id, s)),
    machineSoftware,
    vulnerability,
    vulnerabilityMachines: loader((id, s) => client.getVulnerabilityMachineReferences(id, s)),
  };
}
