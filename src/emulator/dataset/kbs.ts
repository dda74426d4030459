import type { MissingKbDto } from '../../defender/types.js';
import { monthLabel } from './dates.js';
import type { Rng } from './prng.js';
import type { Installation, KbRecord, VulnerabilityRecord } from './types.js';

type Owner = KbRecord['owners'][number];

// Windows 10 cumulative updates also patch Internet Explorer (the documented by-machine example lists
// ["windows_10","edge","internet_explorer"]), so IE's fixes fold into the OS updates instead of getting KBs
// of their own. IE is only installed on Windows 10 machines, so a machine never lists a KB for another OS.
const FOLD_INTO = 'microsoft-_-windows_10';
const FOLD_GUEST = 'microsoft-_-internet_explorer';

// Real KB numbers by bulletin date (January of each year), so demo KBs look like the month they name.
const KB_ANCHORS: [year: number, kb: number][] = [
  [2018, 4_056_000],
  [2019, 4_480_000],
  [2020, 4_534_000],
  [2021, 4_598_000],
  [2022, 5_009_000],
  [2023, 5_022_000],
  [2024, 5_034_000],
  [2025, 5_049_000],
  [2026, 5_062_000],
];

/** The KB number Microsoft was issuing around `time`, interpolated between yearly anchors. */
function kbNumberAround(time: number): number {
  const year = new Date(Number.isNaN(time) ? 0 : time).getUTCFullYear();
  const fraction = (new Date(time).getUTCMonth() || 0) / 12;
  const index = Math.min(
    Math.max(
      KB_ANCHORS.findIndex(([y]) => y === year),
      0,
    ),
    KB_ANCHORS.length - 2,
  );
  const [, from] = KB_ANCHORS[index] as [number, number];
  const [, to] = KB_ANCHORS[index + 1] as [number, number];
  return Math.round(from + (to - from) * fraction);
}

/** KB download link, exactly as Defender prints it. */
export function kbUrl(id: string): string {
  return `https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB${id}`;
}

// One candidate per (Microsoft product, fixing version), oldest fix first.
function candidatesFor(
  softwareId: string,
  vulns: readonly VulnerabilityRecord[],
  versionCount: number,
): Owner[] {
  const owners: Owner[] = [];
  for (let index = 1; index < versionCount; index++) {
    const cveIds = vulns.filter((v) => v.fixedInIndex === index).map((v) => v.dto.id);
    if (cveIds.length > 0) owners.push({ softwareId, fixedInIndex: index, cveIds });
  }
  return owners;
}

function groupOwners(candidates: Map<string, Owner[]>): Owner[][] {
  const host = candidates.get(FOLD_INTO) ?? [];
  const guest = candidates.get(FOLD_GUEST) ?? [];
  // Pair newest with newest; guests left over (more IE fixes than OS fixes) keep KBs of their own.
  const folded = host.map((owner, i) => {
    const partner = guest[guest.length - host.length + i];
    return partner ? [owner, partner] : [owner];
  });
  const guestLeft = guest.slice(0, Math.max(0, guest.length - host.length));
  const groups: Owner[][] = [...folded, ...guestLeft.map((owner) => [owner])];
  for (const [softwareId, owners] of candidates) {
    if (softwareId !== FOLD_INTO && softwareId !== FOLD_GUEST) groups.push(...owners.map((owner) => [owner]));
  }
  return groups;
}

/**
 * Builds Microsoft's missing-KB world. A machine misses a KB when any product the KB patches is older
 * on it than the fixing version; each fixed CVE records its KB in `fixingKbId`.
 * KB numbers rise with the bulletin month and never repeat.
 */
export function generateKbs(
  rng: Rng,
  microsoft: { softwareId: string; versionCount: number; vulns: readonly VulnerabilityRecord[] }[],
  installationsBySoftwareId: ReadonlyMap<string, readonly Installation[]>,
  vulnerabilityById: ReadonlyMap<string, VulnerabilityRecord>,
): KbRecord[] {
  const candidates = new Map<string, Owner[]>();
  for (const product of microsoft) {
    const owners = candidatesFor(product.softwareId, product.vulns, product.versionCount);
    if (owners.length > 0) candidates.set(product.softwareId, owners);
  }
  const dated = groupOwners(candidates).map((owners) => {
    const published = owners.flatMap((o) =>
      o.cveIds.map((id) => vulnerabilityById.get(id)?.dto.publishedOn ?? ''),
    );
    return { owners, bulletin: published.sort().at(-1) ?? '' };
  });
  // Plain comparison: ISO strings sort chronologically, and localeCompare costs ICU time on a cold start.
  dated.sort((a, b) => (a.bulletin < b.bulletin ? -1 : a.bulletin > b.bulletin ? 1 : 0));
  let kbNumber = 0;
  return dated.map(({ owners, bulletin }) => {
    kbNumber = Math.max(kbNumber + rng.int(5, 60), kbNumberAround(Date.parse(bulletin)));
    const id = String(kbNumber);
    const missingOn = new Set<string>();
    for (const owner of owners) {
      for (const inst of installationsBySoftwareId.get(owner.softwareId) ?? []) {
        if (inst.versionIndex < owner.fixedInIndex) missingOn.add(inst.machineId);
      }
      for (const cve of owner.cveIds) {
        const record = vulnerabilityById.get(cve);
        if (record) record.fixingKbId = id;
      }
    }
    return { id, name: `${monthLabel(Date.parse(bulletin))} Security Updates`, owners, missingOn };
  });
}

/** The by-software view: `machineMissedOn` counts this product's machines that miss the KB. */
export function missingKbForSoftware(
  kb: KbRecord,
  owner: Owner,
  installations: readonly Installation[],
  names: ReadonlyMap<string, string>,
): MissingKbDto {
  return {
    id: kb.id,
    name: kb.name,
    productsNames: kb.owners.map((o) => names.get(o.softwareId) ?? o.softwareId),
    url: kbUrl(kb.id),
    machineMissedOn: countMissing(kb, installations),
    cveAddressed: owner.cveIds.length,
  };
}

function countMissing(kb: KbRecord, installations: readonly Installation[]): number {
  let count = 0;
  for (const inst of installations) if (kb.missingOn.has(inst.machineId)) count++;
  return count;
}

/** The by-machine view: the KB is missing on this one machine; CVEs are counted across all products. */
export function missingKbForMachine(kb: KbRecord, names: ReadonlyMap<string, string>): MissingKbDto {
  return {
    id: kb.id,
    name: kb.name,
    productsNames: kb.owners.map((o) => names.get(o.softwareId) ?? o.softwareId),
    url: kbUrl(kb.id),
    machineMissedOn: 1,
    cveAddressed: kb.owners.reduce((sum, o) => sum + o.cveIds.length, 0),
  };
}
