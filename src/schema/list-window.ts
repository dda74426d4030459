import type { DefenderClient } from '../defender/client.js';
import type { Fetched } from '../defender/http.js';
import type { SoftwareDto } from '../defender/types.js';

/**
 * Upstream calls one list window may make. `$top` suppresses `@odata.nextLink` on Defender (§5), so
 * one call is the norm; the rest only serve a server that pages anyway, and the cap keeps a server
 * with tiny pages or a looping link from turning one GraphQL field into an unbounded number of calls.
 */
export const MAX_LIST_CALLS = 5;

/** A window of rows read from `GET /api/Software`. */
export interface ListWindow {
  /** At most `want` rows, in upstream order, each with the fetch metadata of its page. */
  rows: Fetched<SoftwareDto>[];
  /**
   * True when reading stopped at {@link MAX_LIST_CALLS} with a `@odata.nextLink` still pending, i.e.
   * more rows certainly exist beyond `rows` even if there are fewer than `want` of them.
   */
  truncated: boolean;
}

/** What to read. */
export interface WindowRequest {
  /** Complete `$filter` expression (escaped by `odata.ts`), or undefined for all rows. */
  filter?: string;
  /** Upstream offset of the first row. */
  skip: number;
  /** Rows wanted; sent as `$top`. */
  want: number;
}

/**
 * Reads up to `want` rows starting at `skip`, asking for them with `$top` and still following
 * `@odata.nextLink` when the upstream pages in smaller pages than asked (liberal in what it accepts):
 * rows beyond `want` are dropped, and the loop stops at {@link MAX_LIST_CALLS} calls.
 */
export async function readListWindow(
  client: Pick<DefenderClient, 'listSoftware' | 'listSoftwareNext'>,
  request: WindowRequest,
  signal?: AbortSignal,
): Promise<ListWindow> {
  const { filter, skip, want } = request;
  const rows: Fetched<SoftwareDto>[] = [];
  let page = await client.listSoftware({ filter, top: want, skip: skip > 0 ? skip : undefined }, signal);
  for (let calls = 1; ; calls++) {
    const { fetchedAt, stale } = page;
    for (const value of page.value.items) rows.push({ value, fetchedAt, stale });
    const next = page.value.nextLink;
    if (rows.length >= want || next === undefined) return { rows: rows.slice(0, want), truncated: false };
    if (calls >= MAX_LIST_CALLS) return { rows, truncated: true };
    page = await client.listSoftwareNext(next, signal);
  }
}
