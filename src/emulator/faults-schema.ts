import { z } from 'zod';
import type { FaultRule } from './faults.js';
import type { RouteName } from './routing.js';

// A Record over the union makes tsc fail here when routing.ts gains a route, so rule validation
// never silently rejects (or accepts) a route name.
const ROUTE_NAMES: Record<RouteName, true> = {
  'software.list': true,
  'software.get': true,
  'software.distributions': true,
  'software.machinereferences': true,
  'software.vulnerabilities': true,
  'software.getmissingkbs': true,
  'machines.get': true,
  'machines.getmissingkbs': true,
  'machines.software': true,
  'machines.vulnerabilities': true,
  'vulnerabilities.get': true,
  'vulnerabilities.machinereferences': true,
};
const PREFIXES = new Set(Object.keys(ROUTE_NAMES).map((name) => `${name.split('.')[0]}.*`));

// A typo in a route name would make a fault test pass without any fault, so unknown names are errors.
const routeName = z.string().refine((name) => name in ROUTE_NAMES || PREFIXES.has(name), {
  message: `unknown route; use one of ${[...Object.keys(ROUTE_NAMES), ...PREFIXES].join(', ')}`,
});
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);
const errorStatus = z.number().int().min(400).max(599);

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: errorStatus,
    retryAfter: z.union([z.number().int().min(0), z.string(), z.null()]).optional(),
    code: z.string().min(1).optional(),
    message: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('storm'), retryAfterSeconds: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('latency'), ms: z.number().min(0).finite() }),
  z.strictObject({ kind: z.literal('hang') }),
  z.strictObject({ kind: z.literal('reset'), afterHeaders: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('malformed-json') }),
  z.strictObject({ kind: z.literal('html'), status: z.number().int().min(100).max(599).optional() }),
  z.strictObject({ kind: z.literal('wrong-shape') }),
]);

const ruleSchema = z.strictObject({
  match: z
    .strictObject({ route: oneOrMany(routeName).optional(), id: oneOrMany(z.string().min(1)).optional() })
    .optional(),
  times: z.number().int().positive().optional(),
  fault: faultSchema,
});

/** Checks one rule; throws RangeError listing every problem (e.g. an unknown route or `times: 0`). */
export function validateFaultRule(rule: unknown): FaultRule {
  const result = ruleSchema.safeParse(rule);
  if (!result.success) throw new RangeError(`Invalid fault rule: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * Parses `EMULATOR_FAULTS`: a JSON array of {@link FaultRule} (a single rule object is accepted too).
 * Throws RangeError with a readable message on bad JSON or a bad rule.
 */
export function parseFaultRules(json: string): FaultRule[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new RangeError(`EMULATOR_FAULTS is not JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((rule, index) => {
    try {
      return validateFaultRule(rule);
    } catch (error) {
      throw new RangeError(`EMULATOR_FAULTS[${index}]: ${(error as Error).message}`);
    }
  });
}
