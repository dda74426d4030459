/** An environment record, e.g. `process.env`. */
export type Env = Record<string, string | undefined>;

/** Reads a variable, treating blank values as unset (shells often export `VAR=`). */
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Reads an integer in [min, max]; a bad value is reported and the fallback used. */
export function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  errors: string[],
): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    errors.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** Reads one of `allowed`, case-insensitively. */
export function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  errors: string[],
): T | undefined {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  errors.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return undefined;
}

/** Parses an http(s) URL, returning it without a trailing slash. */
export function httpUrl(env: Env, name: string, errors: string[]): URL | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash) return url;
  } catch {
    // reported below
  }
  errors.push(`${name} must be an absolute http(s) URL without query or fragment, got "${raw}"`);
  return undefined;
}
