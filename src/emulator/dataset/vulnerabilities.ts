import type { VulnerabilityDto } from '../../defender/types.js';
import { addDays, FLEET_NOW, isoZ } from './dates.js';
import type { Rng } from './prng.js';
import type { VulnerabilityRecord } from './types.js';

interface Weakness {
  kind: string;
  exploitType: string;
  impact: string;
  vector: string;
}

const WEAKNESSES: Weakness[] = [
  {
    kind: 'remote code execution',
    exploitType: 'Remote code execution',
    impact: 'run arbitrary code in the context of the current user',
    vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
  },
  {
    kind: 'elevation of privilege',
    exploitType: 'Local privilege escalation',
    impact: 'gain SYSTEM privileges',
    vector: 'AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
  },
  {
    kind: 'information disclosure',
    exploitType: 'Information disclosure',
    impact: 'read memory contents of the affected process',
    vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N',
  },
  {
    kind: 'denial of service',
    exploitType: 'Denial of service',
    impact: 'cause the application to stop responding',
    vector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  },
  {
    kind: 'security feature bypass',
    exploitType: 'Security feature bypass',
    impact: 'bypass a security check',
    vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N',
  },
  {
    kind: 'use-after-free',
    exploitType: 'Remote code execution',
    impact: 'execute code through a crafted file or web page',
    vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
  },
  {
    kind: 'heap buffer overflow',
    exploitType: 'Remote code execution',
    impact: 'corrupt memory and possibly execute code',
    vector: 'AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H',
  },
  {
    kind: 'spoofing',
    exploitType: 'Spoofing',
    impact: 'display spoofed content to the user',
    vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N',
  },
];

/** Human-readable product name for descriptions: `acrobat_reader` → "Acrobat Reader". */
export function displayName(token: string): string {
  return token
    .split(/[_-]/)
    .map((w) => (w === '.net' ? '.NET' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

function severityOf(cvss: number): VulnerabilityDto['severity'] {
  if (cvss >= 9) return 'Critical';
  if (cvss >= 7) return 'High';
  if (cvss >= 4) return 'Medium';
  return 'Low';
}

function uniqueCveId(rng: Rng, taken: Set<string>): { id: string; year: number } {
  for (;;) {
    const year = rng.chance(0.6) ? rng.int(2023, 2024) : rng.int(2019, 2022);
    const id = `CVE-${year}-${rng.int(10000, 52999)}`;
    if (taken.has(id)) continue;
    taken.add(id);
    return { id, year };
  }
}

/**
 * Draws one product's CVEs. Each gets the version index that fixes it; `versionCount` means no
 * installed version is fixed yet. `exposedMachines` is left at 0 for the caller to count.
 */
export function generateVulnerabilities(
  rng: Rng,
  product: { id: string; vendor: string; name: string },
  count: number,
  versionCount: number,
  taken: Set<string>,
): VulnerabilityRecord[] {
  const records: VulnerabilityRecord[] = [];
  for (let i = 0; i < count; i++) {
    const { id, year } = uniqueCveId(rng, taken);
    const weakness = rng.pick(WEAKNESSES);
    const cvss = Math.round((3 + rng.next() ** 0.7 * 6.8) * 10) / 10;
    const yearStart = Date.UTC(year, 0, 5);
    const published = Math.min(addDays(yearStart, rng.int(0, 350)), addDays(FLEET_NOW, -rng.int(10, 60)));
    const publicExploit = rng.chance(cvss >= 9 ? 0.35 : 0.15);
    const exploitVerified = publicExploit && rng.chance(0.4);
    const fixedInIndex = versionCount > 1 && rng.chance(0.85) ? rng.int(1, versionCount - 1) : versionCount;
    const dto: VulnerabilityDto = {
      id,
      name: id,
      description: `${displayName(product.vendor)} ${displayName(product.name)} ${weakness.kind} vulnerability. An attacker who successfully exploited this vulnerability could ${weakness.impact}.`,
      severity: severityOf(cvss),
      cvssV3: cvss,
      cvssVector: `CVSS:3.1/${weakness.vector}/E:${publicExploit ? 'P' : 'U'}/RL:O/RC:C`,
      exposedMachines: 0,
      publishedOn: isoZ(published),
      updatedOn: isoZ(Math.min(addDays(published, rng.int(0, 120)), FLEET_NOW)),
      firstDetected: isoZ(Math.min(addDays(published, rng.int(1, 30)), FLEET_NOW)),
      publicExploit,
      exploitVerified,
      exploitInKit: exploitVerified && rng.chance(0.3),
      exploitTypes: publicExploit ? [weakness.exploitType] : [],
      exploitUris: publicExploit ? [`https://www.exploit-db.com/exploits/${rng.int(40000, 52000)}`] : [],
      cveSupportability: 'Supported',
      tags: [],
      epss: Math.round((publicExploit ? 0.1 + rng.next() * 0.87 : rng.next() * 0.05) * 1e5) / 1e5,
    };
    records.push({ dto, softwareId: product.id, fixedInIndex, fixingKbId: null });
  }
  return records;
}
