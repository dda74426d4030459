import { z } from 'zod';
import { DefenderError } from './errors.js';

/**
 * Runtime checks of Defender responses. Liberal where the docs are unsure (numbers sent as strings,
 * null lists, extra properties are dropped), strict where the layer relies on a value (ids, names).
 */

const count = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);
const bool = z.boolean();
const stringList = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

/** Software entity (§4.1). */
export const softwareSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  vendor: z.string(),
  weaknesses: count,
  publicExploit: bool,
  activeAlert: bool,
  exposedMachines: count,
  impactScore: count,
  installedMachines: count.nullish().transform((v) => v ?? undefined),
  isNormalized: z
    .boolean()
    .nullish()
    .transform((v) => v ?? undefined),
  category: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

/** PublicProductFixDto (§4.4). */
export const missingKbSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  name: z.string(),
  productsNames: stringList,
  url: z.string(),
  machineMissedOn: count,
  cveAddressed: count,
});

/** An OData collection envelope around items of `item`. */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({ value: z.array(item), '@odata.nextLink': z.string().nullish() });
}

/** Validates `data` or throws UPSTREAM_BAD_RESPONSE naming the endpoint (never the payload). */
export function parseResponse<T extends z.ZodType>(schema: T, data: unknown, endpoint: string): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const where = result.error.issues[0]?.path.join('.') || 'body';
  throw new DefenderError(
    'UPSTREAM_BAD_RESPONSE',
    `Defender returned an unexpected shape for ${endpoint} (at ${where})`,
  );
}
