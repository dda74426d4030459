import type { Permission } from './auth.js';
import { EmulatorError } from './responses.js';

/** A matched endpoint. `name` doubles as the quota template, e.g. `software.getmissingkbs`. */
export interface RouteMatch {
  name: RouteName;
  permission: Permission;
  /** Decoded `{id}` segment, when the route has one. */
  id?: string;
}

/** Every endpoint the emulator serves. */
export type RouteName =
  | 'software.list'
  | 'software.get'
  | 'software.distributions'
  | 'software.machinereferences'
  | 'software.vulnerabilities'
  | 'software.getmissingkbs'
  | 'machines.get'
  | 'machines.getmissingkbs'
  | 'machines.software'
  | 'machines.vulnerabilities'
  | 'vulnerabilities.get'
  | 'vulnerabilities.machinereferences';

// Permissions per defender-api.md §3.1; a `.All` app role or the delegated scope satisfies each.
const SOFTWARE: Permission = { app: ['Software.Read.All'], delegated: ['Software.Read'] };
const VULNERABILITY: Permission = { app: ['Vulnerability.Read.All'], delegated: ['Vulnerability.Read'] };
const MACHINE: Permission = {
  app: ['Machine.Read.All', 'Machine.ReadWrite.All'],
  delegated: ['Machine.Read', 'Machine.ReadWrite'],
};
// Row 7: getmissingkbs by machine documents the application permission only.
const SOFTWARE_APP_ONLY: Permission = { app: ['Software.Read.All'], delegated: [] };

const ROUTES: Record<string, { name: RouteName; permission: Permission }> = {
  software: { name: 'software.list', permission: SOFTWARE },
  'software/{id}': { name: 'software.get', permission: SOFTWARE },
  'software/{id}/distributions': { name: 'software.distributions', permission: SOFTWARE },
  'software/{id}/machinereferences': { name: 'software.machinereferences', permission: SOFTWARE },
  'software/{id}/vulnerabilities': { name: 'software.vulnerabilities', permission: VULNERABILITY },
  'software/{id}/getmissingkbs': { name: 'software.getmissingkbs', permission: SOFTWARE },
  'machines/{id}': { name: 'machines.get', permission: MACHINE },
  'machines/{id}/getmissingkbs': { name: 'machines.getmissingkbs', permission: SOFTWARE_APP_ONLY },
  'machines/{id}/software': { name: 'machines.software', permission: SOFTWARE },
  'machines/{id}/vulnerabilities': { name: 'machines.vulnerabilities', permission: VULNERABILITY },
  'vulnerabilities/{id}': { name: 'vulnerabilities.get', permission: VULNERABILITY },
  'vulnerabilities/{id}/machinereferences': {
    name: 'vulnerabilities.machinereferences',
    permission: VULNERABILITY,
  },
};

/**
 * Splits the still-encoded pathname on `/` before decoding each segment, so an encoded slash or dot
 * (`a%2Fb`, `..%2Fmachines`) stays inside one id and can never reach another route.
 * Malformed percent-encoding → 400 BadRequest.
 */
export function decodePath(rawPath: string): string[] {
  const raw = rawPath.split('/').slice(1);
  if (raw.length > 1 && raw.at(-1) === '') raw.pop();
  return raw.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new EmulatorError(
        'BadRequest',
        `The request path contains malformed percent-encoding: '${segment}'`,
      );
    }
  });
}

/**
 * Matches `/api[/v1.0]/<entity>[/{id}[/<action>]]`; literal segments ignore case (§1.1), ids do not
 * need to. Returns null for paths the API does not have.
 */
export function matchRoute(segments: readonly string[]): RouteMatch | null {
  if (segments[0]?.toLowerCase() !== 'api') return null;
  const rest = segments[1]?.toLowerCase() === 'v1.0' ? segments.slice(2) : segments.slice(1);
  const [entity, id, action, ...extra] = rest;
  if (!entity || extra.length > 0 || id === '' || action === '') return null;
  const template = [entity.toLowerCase(), id === undefined ? null : '{id}', action?.toLowerCase() ?? null]
    .filter((part) => part !== null)
    .join('/');
  const route = ROUTES[template];
  if (!route) return null;
  return id === undefined ? { ...route } : { ...route, id };
}
