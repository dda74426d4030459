import { addDays, FLEET_NOW, isoZ } from './dates.js';
import type { Rng } from './prng.js';
import type { MachineDto } from './types.js';

type OsPlatform = 'Windows10' | 'Windows11' | 'WindowsServer2019' | 'WindowsServer2022' | 'Linux' | 'macOS';

interface OsProfile {
  platform: OsPlatform;
  weight: number;
  prefix: 'wks' | 'srv' | 'lnx' | 'mac';
  versions: string[];
  osBuild: number | null;
  groups: [number, string][];
}

const OS_PROFILES: OsProfile[] = [
  {
    platform: 'Windows10',
    weight: 0.42,
    prefix: 'wks',
    versions: ['22H2', '22H2', '21H2'],
    osBuild: 19045,
    groups: [
      [140, 'Workstations - HQ'],
      [141, 'Workstations - Remote'],
      [142, 'Finance'],
      [143, 'Engineering'],
    ],
  },
  {
    platform: 'Windows11',
    weight: 0.3,
    prefix: 'wks',
    versions: ['23H2', '23H2', '22H2'],
    osBuild: 22631,
    groups: [
      [140, 'Workstations - HQ'],
      [141, 'Workstations - Remote'],
      [143, 'Engineering'],
    ],
  },
  {
    platform: 'WindowsServer2019',
    weight: 0.09,
    prefix: 'srv',
    versions: ['1809'],
    osBuild: 17763,
    groups: [
      [150, 'Servers - Production'],
      [151, 'Servers - Staging'],
    ],
  },
  {
    platform: 'WindowsServer2022',
    weight: 0.08,
    prefix: 'srv',
    versions: ['21H2'],
    osBuild: 20348,
    groups: [
      [150, 'Servers - Production'],
      [151, 'Servers - Staging'],
    ],
  },
  {
    platform: 'Linux',
    weight: 0.07,
    prefix: 'lnx',
    versions: ['22.4', '20.4'],
    osBuild: null,
    groups: [[152, 'Linux Servers']],
  },
  {
    platform: 'macOS',
    weight: 0.04,
    prefix: 'mac',
    versions: ['14.5', '13.6'],
    osBuild: null,
    groups: [
      [144, 'Design'],
      [143, 'Engineering'],
    ],
  },
];

const TAGS = ['VIP', 'Kiosk', 'PCI', 'Pilot ring', 'Legacy'];

/** A GUID drawn from the seeded source (crypto.randomUUID would break determinism). */
export function seededGuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function pickProfile(rng: Rng): OsProfile {
  let roll = rng.next();
  for (const profile of OS_PROFILES) {
    roll -= profile.weight;
    if (roll < 0) return profile;
  }
  return OS_PROFILES[0] as OsProfile;
}

/**
 * Generates the device fleet. Risk and exposure start at 'None' and are filled in once the software
 * and vulnerabilities are known (see generate.ts).
 */
export function generateMachines(rng: Rng, count: number): MachineDto[] {
  const counters = new Map<string, number>();
  const ids = new Set<string>();
  const machines: MachineDto[] = [];
  for (let i = 0; i < count; i++) {
    const profile = pickProfile(rng);
    const number = (counters.get(profile.prefix) ?? 0) + rng.int(1, 3);
    counters.set(profile.prefix, number);
    let id = rng.hex(40);
    while (ids.has(id)) id = rng.hex(40);
    ids.add(id);
    const [rbacGroupId, rbacGroupName] = rng.pick(profile.groups);
    const isWorkstation = profile.prefix === 'wks';
    const firstSeen = addDays(FLEET_NOW, -rng.int(30, 1100) - rng.next());
    machines.push({
      id,
      computerDnsName: `${profile.prefix}-${String(number).padStart(4, '0')}.contoso.local`,
      firstSeen: isoZ(firstSeen),
      lastSeen: isoZ(addDays(FLEET_NOW, -rng.next() * (rng.chance(0.05) ? 40 : 3))),
      osPlatform: profile.platform,
      osProcessor: 'x64',
      osArchitecture: '64-bit',
      version: rng.pick(profile.versions),
      osBuild: profile.osBuild,
      lastIpAddress: `10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`,
      lastExternalIpAddress: `203.0.113.${rng.int(1, 254)}`,
      healthStatus: rng.chance(0.92) ? 'Active' : rng.chance(0.6) ? 'Inactive' : 'ImpairedCommunication',
      onboardingStatus: 'Onboarded',
      rbacGroupId,
      rbacGroupName,
      riskScore: 'None',
      exposureLevel: 'None',
      deviceValue: profile.prefix === 'srv' && rng.chance(0.4) ? 'High' : rng.chance(0.05) ? 'Low' : 'Normal',
      aadDeviceId: isWorkstation ? seededGuid(rng) : null,
      isAadJoined: isWorkstation,
      machineTags: rng.chance(0.1) ? [rng.pick(TAGS)] : [],
    });
  }
  return machines;
}

/** Which machines a catalog platform may be installed on. */
export function eligibleMachines(machines: readonly MachineDto[], platform: string): MachineDto[] {
  if (platform.startsWith('os=')) return machines.filter((m) => m.osPlatform === platform.slice(3));
  const test: Record<string, (os: string) => boolean> = {
    wks: (os) => os === 'Windows10' || os === 'Windows11',
    srv: (os) => os.startsWith('WindowsServer'),
    win: (os) => os.startsWith('Windows'),
    any: (os) => os === 'Windows10' || os === 'Windows11' || os === 'macOS',
    lin: (os) => os === 'Linux',
    mac: (os) => os === 'macOS',
  };
  const matches = test[platform];
  if (!matches)
    throw new Error(
      `Catalog platform must be one of ${Object.keys(test).join(', ')} or os=<platform>, got '${platform}'`,
    );
  return machines.filter((m) => matches(m.osPlatform));
}
