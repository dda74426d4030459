import type { Rng } from './prng.js';

// Real build families, so a machine's Windows version agrees with its osBuild.
const OS_BUILD_PREFIX: Record<string, string> = {
  'microsoft-_-windows_10': '10.0.19045',
  'microsoft-_-windows_11': '10.0.22631',
  'microsoft-_-windows_server_2019': '10.0.17763',
  'microsoft-_-windows_server_2022': '10.0.20348',
};

// Evergreen products with high, fast-moving major numbers.
const BROWSER_MAJOR: Record<string, number> = {
  'microsoft-_-edge': 121,
  'google-_-chrome': 121,
  'microsoft-_-edge_webview2': 121,
  'mozilla-_-firefox': 122,
  'brave-_-brave_browser': 1,
  'opera-_-opera_browser': 106,
};

/**
 * `count` distinct version strings in ascending order (index 0 is the oldest), styled after the product:
 * OS builds (`10.0.19045.4170`), browsers (`123.0.2420.65`), everything else `major.minor.patch[.build]`.
 */
export function generateVersions(rng: Rng, softwareId: string, count: number): string[] {
  const out: string[] = [];
  const osPrefix = OS_BUILD_PREFIX[softwareId];
  if (osPrefix) {
    let build = rng.int(3200, 3400);
    for (let i = 0; i < count; i++, build += rng.int(90, 140)) out.push(`${osPrefix}.${build}`);
    return out;
  }
  const browserMajor = BROWSER_MAJOR[softwareId];
  if (browserMajor !== undefined) {
    let build = rng.int(2200, 6100);
    for (let i = 0; i < count; i++, build += rng.int(40, 90)) {
      out.push(`${browserMajor + i}.0.${build}.${rng.int(30, 160)}`);
    }
    return out;
  }
  const fourPart = rng.chance(0.4);
  let [major, minor, patch] = [rng.int(1, 24), rng.int(0, 12), rng.int(0, 30)];
  for (let i = 0; i < count; i++) {
    out.push(fourPart ? `${major}.${minor}.${patch}.${rng.int(1, 9999)}` : `${major}.${minor}.${patch}`);
    if (rng.chance(0.15)) [major, minor, patch] = [major + 1, 0, 0];
    else if (rng.chance(0.5)) [minor, patch] = [minor + 1, 0];
    else patch += rng.int(1, 12);
  }
  return out;
}
