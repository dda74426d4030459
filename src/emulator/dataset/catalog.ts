/**
 * Product catalog for the demo dataset, in Defender's `vendor-_-name` vocabulary (lower-case, underscores).
 *
 * One line per `<platform> <vendor>: <product>[=<percent>] ...`. The platform decides which machines may
 * have the product (see `eligibleMachines` in machines.ts); `=<percent>` pins the share of those machines
 * that have it installed (otherwise a long-tailed random share is drawn). Kept as text so the list stays
 * readable and the formatter does not explode it into one string per line.
 */
import { CATALOG_CORE } from './catalog-core.js';
import { CATALOG_LONG_TAIL } from './catalog-long-tail.js';
import type { Rng } from './prng.js';

/** How a product chooses its machines. `os=<platform>` products are the machine's operating system. */
export type CatalogPlatform = 'wks' | 'srv' | 'win' | 'any' | 'lin' | 'mac' | `os=${string}`;

/** One catalog product, before any numbers are generated. */
export interface CatalogEntry {
  vendor: string;
  name: string;
  platform: CatalogPlatform;
  /** Share of eligible machines (0..1) that have it, or undefined for a random long-tailed share. */
  share: number | undefined;
}

/** Ids every demo dataset must contain, whatever the seed or count (the brief and the tests rely on them). */
export const REQUIRED_SOFTWARE_IDS: readonly string[] = [
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

// Suffixes for the (rare) case of asking for more products than the catalog holds: editions and
// release years are how real inventories end up with near-duplicate product names.
const EDITION_SUFFIXES = ['_2019', '_2021', '_2023', '_enterprise', '_lts', '_x64'];

/** Parses the catalog text; later duplicates of a vendor/name pair are dropped so ids stay unique. */
export function loadCatalog(): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  const seen = new Set<string>();
  for (const line of `${CATALOG_CORE}\n${CATALOG_LONG_TAIL}`.split('\n')) {
    const match = /^(\S+) ([^:]+): (.+)$/.exec(line.trim());
    if (!match) continue;
    const [, platform, vendor, products] = match as unknown as [string, string, string, string];
    for (const token of products.split(' ')) {
      const [name, pct] = token.split('=') as [string, string | undefined];
      const entry: CatalogEntry = {
        vendor: vendor.toLowerCase(),
        name: name.toLowerCase(),
        platform: platform as CatalogPlatform,
        share: pct === undefined ? undefined : Number(pct) / 100,
      };
      const id = `${entry.vendor}-_-${entry.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push(entry);
    }
  }
  return entries;
}

/**
 * Picks `count` products in catalog order. Pinned products (those with `=<percent>`) are always kept;
 * the seed decides which unpinned ones are left out, so different seeds differ in inventory too.
 */
export function selectCatalog(rng: Rng, count: number): CatalogEntry[] {
  const all = loadCatalog();
  if (count >= all.length) return [...all, ...editionVariants(all, count - all.length)];
  const optional = all.filter((e) => e.share === undefined);
  const dropCount = Math.min(optional.length, all.length - count);
  const dropped = new Set<CatalogEntry>();
  while (dropped.size < dropCount) dropped.add(rng.pick(optional));
  return all.filter((e) => !dropped.has(e));
}

function editionVariants(all: readonly CatalogEntry[], extra: number): CatalogEntry[] {
  const pool = all.filter((e) => e.share === undefined);
  const taken = new Set(all.map((e) => `${e.vendor}-_-${e.name}`));
  const out: CatalogEntry[] = [];
  for (let i = 0; out.length < extra; i++) {
    const base = pool[i % pool.length] as CatalogEntry;
    const lap = Math.floor(i / pool.length);
    const suffix = EDITION_SUFFIXES[lap % EDITION_SUFFIXES.length];
    const round = Math.floor(lap / EDITION_SUFFIXES.length);
    const name = `${base.name}${suffix}${round > 0 ? `_${round + 1}` : ''}`;
    if (taken.has(`${base.vendor}-_-${name}`)) continue;
    taken.add(`${base.vendor}-_-${name}`);
    out.push({ ...base, name });
  }
  return out;
}
