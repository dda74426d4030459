import type {
  Fault,
  FaultController,
  FaultHandle,
  FaultKind,
  FaultMatch,
  FaultRule,
  LatencyFault,
  StormFault,
} from './faults.js';
import { validateFaultRule } from './faults-schema.js';
import { decodePath, matchRoute } from './routing.js';

// The rule store and per-request decision behind `emulator.faults`; the public contract is in faults.ts.

/** What the emulator must do with one request. */
export interface FaultDecision {
  /** Extra milliseconds from matching latency rules. */
  delayMs: number;
  /** The terminal fault, a storm already turned into its 429 status fault. */
  fault?: Exclude<Fault, StormFault | LatencyFault>;
  /** The kind to log: the terminal fault's (storm stays 'storm'), else 'latency' when only latency applied. */
  kind?: FaultKind;
}

/** The request as faults see it. */
export interface FaultTarget {
  route: string | null;
  id?: string;
}

/** Route and id of a URL for matching; null route when the path is malformed or matches nothing. */
export function faultTarget(url: URL): FaultTarget {
  try {
    const route = matchRoute(decodePath(url.pathname));
    if (!route) return { route: null };
    return route.id === undefined ? { route: route.name } : { route: route.name, id: route.id };
  } catch {
    return { route: null };
  }
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  hits: number;
  active: boolean;
  stormEndsAt?: number;
}

const asList = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
  const routes = asList(match?.route);
  if (routes) {
    const { route } = target;
    if (route === null) return false;
    const ok = routes.some((r) => (r.endsWith('.*') ? route.startsWith(r.slice(0, -1)) : r === route));
    if (!ok) return false;
  }
  const ids = asList(match?.id);
  if (ids) {
    const id = target.id?.toLowerCase();
    if (id === undefined || !ids.some((candidate) => candidate.toLowerCase() === id)) return false;
  }
  return true;
}

/** The controller plus the hooks the emulator itself uses. */
export interface FaultEngine extends FaultController {
  /** Picks the faults for a request arriving at `at` and counts the hits. */
  decide(target: FaultTarget, at: number): FaultDecision;
  /** Counts a request as held while `work` runs. */
  hold<T>(work: Promise<T>): Promise<T>;
}

/** Creates the fault rules store; `initial` come from `EmulatorOptions.faults`. */
export function createFaultEngine(initial: readonly FaultRule[] = []): FaultEngine {
  let rules: ActiveRule[] = [];
  let pending = 0;

  const retire = (entry: ActiveRule): void => {
    entry.active = false;
    rules = rules.filter((r) => r !== entry);
  };

  function add(rule: FaultRule): FaultHandle {
    const entry: ActiveRule = {
      rule: validateFaultRule(rule),
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      hits: 0,
      active: true,
    };
    rules.push(entry);
    return {
      remove: () => retire(entry),
      get hits() {
        return entry.hits;
      },
      get active() {
        return entry.active;
      },
    };
  }

  // A storm past its window retires itself even if this request does not match it.
  function stormFault(entry: ActiveRule, at: number): FaultDecision['fault'] | null {
    if (entry.rule.fault.kind !== 'storm') return null;
    entry.stormEndsAt ??= at + entry.rule.fault.retryAfterSeconds * 1000;
    if (at >= entry.stormEndsAt) return null;
    const seconds = Math.ceil((entry.stormEndsAt - at) / 1000);
    return { kind: 'status', status: 429, retryAfter: seconds };
  }

  function decide(target: FaultTarget, at: number): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const entry of [...rules]) {
      if (entry.stormEndsAt !== undefined && at >= entry.stormEndsAt) retire(entry);
      if (!entry.active || !matches(entry.rule.match, target)) continue;
      const { fault } = entry.rule;
      if (fault.kind === 'latency') {
        decision.delayMs += fault.ms;
        decision.kind ??= 'latency';
      } else if (decision.fault) {
        continue;
      } else if (fault.kind === 'storm') {
        const storm = stormFault(entry, at);
        if (!storm) {
          retire(entry);
          continue;
        }
        decision.fault = storm;
        decision.kind = 'storm';
      } else {
        decision.fault = fault;
        decision.kind = fault.kind;
      }
      entry.hits += 1;
      entry.remaining -= 1;
      if (entry.remaining <= 0) retire(entry);
    }
    return decision;
  }

  for (const rule of initial) add(rule);
  return {
    add,
    clear: () => {
      for (const entry of [...rules]) retire(entry);
    },
    get pending() {
      return pending;
    },
    decide,
    async hold(work) {
      pending += 1;
      try {
        return await work;
      } finally {
        pending -= 1;
      }
    },
  };
}
