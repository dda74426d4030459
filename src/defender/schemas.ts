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

/** Absent or null → null, so optional documented fields read the same whichever way Defender omits them. */
const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);
const text = nullable(z.string());

/**
 * RFC 3339 date-time with a time zone, as Defender prints them (`2024-06-28T09:30:00Z`, optionally with a
 * fraction such as `.7791856Z`). Shared with the `DateTime` scalar so both accept the same text.
 */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// Defender's dates are UTC; one without an offset is read as UTC rather than rejected. The text is
// otherwise kept as sent, so GraphQL answers with exactly what the REST response said.
const dateTime = z.string().transform((value, ctx) => {
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
  if (ISO_DATE_TIME.test(withZone) && !Number.isNaN(Date.parse(withZone))) return withZone;
  ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 date-time' });
  return z.NEVER;
});

/** `GET /api/Software/{id}/distributions` item (§4.2). */
export const distributionSchema = z.object({
  version: z.string(),
  installations: count,
  vulnerabilities: count,
});

/** `machineReferences` item (§4.3). */
export const machineRefSchema = z.object({
  id: z.string().min(1),
  computerDnsName: z.string(),
  osPlatform: z.string(),
  rbacGroupName: z.string(),
});

/** `GET /api/machines/{id}` (§4.7): reference fields required, the rest nullable. */
export const machineSchema = machineRefSchema.extend({
  firstSeen: nullable(dateTime),
  lastSeen: nullable(dateTime),
  osProcessor: text,
  osArchitecture: text,
  version: text,
  osBuild: nullable(count),
  lastIpAddress: text,
  lastExternalIpAddress: text,
  healthStatus: text,
  onboardingStatus: text,
  rbacGroupId: nullable(z.union([z.string(), z.number()]).transform(String)),
  riskScore: text,
  exposureLevel: text,
  deviceValue: text,
  aadDeviceId: text,
  isAadJoined: nullable(bool),
  machineTags: stringList,
  ipAddresses: z
    .array(z.object({ ipAddress: text, macAddress: text, operationalStatus: text }))
    .nullish()
    .transform((v) => v ?? []),
});

const SEVERITIES = ['Low', 'Medium', 'High', 'Critical'] as const;

/** `PublicVulnerabilityDto` (§4.5). Severity matched case-insensitively onto the documented four. */
export const vulnerabilitySchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string(),
  severity: z.string().transform((value, ctx) => {
    const known = SEVERITIES.find((s) => s.toLowerCase() === value.toLowerCase());
    if (known) return known;
    ctx.addIssue({ code: 'custom', message: 'unknown severity' });
    return z.NEVER;
  }),
  cvssV3: nullable(count),
  cvssVector: text,
  exposedMachines: count,
  publishedOn: dateTime,
  updatedOn: dateTime,
  firstDetected: nullable(dateTime),
  publicExploit: bool,
  exploitVerified: bool,
  exploitInKit: bool,
  exploitTypes: stringList,
  exploitUris: stringList,
  // The property table says "String collection", every example a single string: accept both.
  cveSupportability: nullable(z.union([z.string(), z.array(z.string()).transform((v) => v.join(', '))])),
  tags: stringList,
  epss: nullable(count),
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
