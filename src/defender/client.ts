import type { z } from 'zod';
import { DefenderError } from './errors.js';
import type { DefenderHttp, Fetched } from './http.js';
import {
  collectionSchema,
  distributionSchema,
  machineRefSchema,
  machineSchema,
  missingKbSchema,
  parseResponse,
  softwareSchema,
  vulnerabilitySchema,
} from './schemas.js';
import type {
  DistributionDto,
  MachineDto,
  MachineRefDto,
  MissingKbDto,
  SoftwareDto,
  VulnerabilityDto,
} from './types.js';
import { buildApiUrl, checkNextLink } from './url.js';

/** OData options of `GET /api/Software` (§3.1 row 1). */
export interface ListSoftwareOptions {
  /** A complete `$filter` expression, built with `odata.ts` so values are escaped. */
  filter?: string;
  /** 0–10,000. */
  top?: number;
  skip?: number;
}

/** One page of a collection plus where the next one is, if Defender said so. */
export interface Page<T> {
  items: T[];
  nextLink?: string;
}

/** Typed Defender operations. Each method is at most one HTTP call (none when served from cache). */
export interface DefenderClient {
  getSoftware(id: string, signal?: AbortSignal): Promise<Fetched<SoftwareDto>>;
  listSoftware(options: ListSoftwareOptions, signal?: AbortSignal): Promise<Fetched<Page<SoftwareDto>>>;
  /** Follows an `@odata.nextLink` from a previous {@link listSoftware} page. */
  listSoftwareNext(nextLink: string, signal?: AbortSignal): Promise<Fetched<Page<SoftwareDto>>>;
  getMissingKbs(softwareId: string, signal?: AbortSignal): Promise<Fetched<MissingKbDto[]>>;
  /** `GET /api/Software/{id}/distributions` (§3.1 row 3). */
  getDistributions(softwareId: string, signal?: AbortSignal): Promise<Fetched<DistributionDto[]>>;
  /** `GET /api/Software/{id}/machineReferences` (row 4). */
  getMachineReferences(softwareId: string, signal?: AbortSignal): Promise<Fetched<MachineRefDto[]>>;
  /** `GET /api/Software/{id}/vulnerabilities` (row 5). */
  getSoftwareVulnerabilities(softwareId: string, signal?: AbortSignal): Promise<Fetched<VulnerabilityDto[]>>;
  /** `GET /api/machines/{id}` (row 14). */
  getMachine(machineId: string, signal?: AbortSignal): Promise<Fetched<MachineDto>>;
  /** `GET /api/machines/{id}/getmissingkbs` (row 7). */
  getMachineMissingKbs(machineId: string, signal?: AbortSignal): Promise<Fetched<MissingKbDto[]>>;
  /** `GET /api/machines/{id}/software` (row 8). */
  getMachineSoftware(machineId: string, signal?: AbortSignal): Promise<Fetched<SoftwareDto[]>>;
  /** `GET /api/vulnerabilities/{cveId}` (row 11). */
  getVulnerability(cveId: string, signal?: AbortSignal): Promise<Fetched<VulnerabilityDto>>;
  /** `GET /api/vulnerabilities/{cveId}/machineReferences` (row 12). */
  getVulnerabilityMachineReferences(cveId: string, signal?: AbortSignal): Promise<Fetched<MachineRefDto[]>>;
}

/**
 * Most pages a sub-resource collection may span. Defender answers sub-resources in one response (§5);
 * a nextLink is still followed, but an endless chain of them is a broken upstream, not data.
 */
export const MAX_SUBRESOURCE_PAGES = 20;

/** Validates a fetched body, keeping its fetch metadata. */
function parsed<T extends z.ZodType>(
  schema: T,
  fetched: Fetched<unknown>,
  endpoint: string,
): Fetched<z.output<T>> {
  return { ...fetched, value: parseResponse(schema, fetched.value, endpoint) };
}

const softwarePage = collectionSchema(softwareSchema);
const missingKbList = collectionSchema(missingKbSchema);
/** A parsed OData collection envelope of `I` items. */
type Envelope<I> = z.ZodType<{ value: I[]; '@odata.nextLink'?: string | null | undefined }>;
const distributionList = collectionSchema(distributionSchema);
const machineRefList = collectionSchema(machineRefSchema);
const vulnerabilityList = collectionSchema(vulnerabilitySchema);

/** Builds the typed client over the request pipeline, rooted at `apiRoot` (e.g. `https://host/api`). */
export function createDefenderClient(http: DefenderHttp, apiRoot: string): DefenderClient {
  async function page(url: URL, endpoint: string, signal?: AbortSignal): Promise<Fetched<Page<SoftwareDto>>> {
    const body = parsed(softwarePage, await http.getJson(url, { endpoint, signal }), endpoint);
    const nextLink = body.value['@odata.nextLink'] ?? undefined;
    return { ...body, value: { items: body.value.value, ...(nextLink ? { nextLink } : {}) } };
  }

  /**
   * A whole sub-resource collection. Follows `@odata.nextLink` (only under the API root) because §5 says
   * clients should whenever it appears; the result is as old as its first page.
   */
  async function all<I>(
    envelope: Envelope<I>,
    segments: string[],
    endpoint: string,
    signal?: AbortSignal,
  ): Promise<Fetched<I[]>> {
    const url = buildApiUrl(apiRoot, segments);
    const first = parsed(envelope, await http.getJson(url, { endpoint, signal }), endpoint);
    const items: I[] = [...first.value.value];
    let next = first.value['@odata.nextLink'];
    for (let pages = 1; next; pages++) {
      if (pages >= MAX_SUBRESOURCE_PAGES) {
        throw new DefenderError('UPSTREAM_BAD_RESPONSE', `Defender paged ${endpoint} beyond ${pages} pages`);
      }
      const page = parsed(
        envelope,
        await http.getJson(checkNextLink(apiRoot, next), { endpoint, signal }),
        endpoint,
      );
      items.push(...page.value.value);
      next = page.value['@odata.nextLink'];
    }
    return { ...first, value: items };
  }

  return {
    async getSoftware(id, signal) {
      const url = buildApiUrl(apiRoot, ['Software', id]);
      return parsed(
        softwareSchema,
        await http.getJson(url, { endpoint: 'software.get', signal }),
        'software.get',
      );
    },
    listSoftware({ filter, top, skip }, signal) {
      const url = buildApiUrl(apiRoot, ['Software'], { $filter: filter, $top: top, $skip: skip });
      return page(url, 'software.list', signal);
    },
    listSoftwareNext(nextLink, signal) {
      return page(checkNextLink(apiRoot, nextLink), 'software.list', signal);
    },
    async getMissingKbs(softwareId, signal) {
      const endpoint = 'software.getmissingkbs';
      const url = buildApiUrl(apiRoot, ['Software', softwareId, 'getmissingkbs']);
      const body = parsed(missingKbList, await http.getJson(url, { endpoint, signal }), endpoint);
      return { ...body, value: body.value.value };
    },
    getDistributions(softwareId, signal) {
      return all(
        distributionList,
        ['Software', softwareId, 'distributions'],
        'software.distributions',
        signal,
      );
    },
    getMachineReferences(softwareId, signal) {
      const endpoint = 'software.machinereferences';
      return all(machineRefList, ['Software', softwareId, 'machineReferences'], endpoint, signal);
    },
    getSoftwareVulnerabilities(softwareId, signal) {
      const endpoint = 'software.vulnerabilities';
      return all(vulnerabilityList, ['Software', softwareId, 'vulnerabilities'], endpoint, signal);
    },
    async getMachine(machineId, signal) {
      const url = buildApiUrl(apiRoot, ['machines', machineId]);
      return parsed(
        machineSchema,
        await http.getJson(url, { endpoint: 'machines.get', signal }),
        'machines.get',
      );
    },
    getMachineMissingKbs(machineId, signal) {
      return all(missingKbList, ['machines', machineId, 'getmissingkbs'], 'machines.getmissingkbs', signal);
    },
    getMachineSoftware(machineId, signal) {
      return all(softwarePage, ['machines', machineId, 'software'], 'machines.software', signal);
    },
    async getVulnerability(cveId, signal) {
      const endpoint = 'vulnerabilities.get';
      const url = buildApiUrl(apiRoot, ['vulnerabilities', cveId]);
      return parsed(vulnerabilitySchema, await http.getJson(url, { endpoint, signal }), endpoint);
    },
    getVulnerabilityMachineReferences(cveId, signal) {
      const endpoint = 'vulnerabilities.machinereferences';
      return all(machineRefList, ['vulnerabilities', cveId, 'machineReferences'], endpoint, signal);
    },
  };
}
