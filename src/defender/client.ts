import type { z } from 'zod';
import type { DefenderHttp, Fetched } from './http.js';
import { collectionSchema, missingKbSchema, parseResponse, softwareSchema } from './schemas.js';
import type { MissingKbDto, SoftwareDto } from './types.js';
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
}

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

/** Builds the typed client over the request pipeline, rooted at `apiRoot` (e.g. `https://host/api`). */
export function createDefenderClient(http: DefenderHttp, apiRoot: string): DefenderClient {
  async function page(url: URL, endpoint: string, signal?: AbortSignal): Promise<Fetched<Page<SoftwareDto>>> {
    const body = parsed(softwarePage, await http.getJson(url, { endpoint, signal }), endpoint);
    const nextLink = body.value['@odata.nextLink'] ?? undefined;
    return { ...body, value: { items: body.value.value, ...(nextLink ? { nextLink } : {}) } };
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
  };
}
