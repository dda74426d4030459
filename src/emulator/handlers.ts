import type { MachineRefDto, SoftwareDto, VulnerabilityDto } from '../defender/types.js';
import type { Dataset, MachineDto } from './dataset/types.js';
import { nextLink, paginate, parseListQuery } from './list-query.js';
import { EmulatorError } from './responses.js';
import type { RouteMatch, RouteName } from './routing.js';

/** What a handler needs from the request and the emulator's settings. */
export interface HandlerContext {
  dataset: Dataset;
  route: RouteMatch;
  url: URL;
  pageSize: number;
  emptyIs404: boolean;
}

// `@odata.context` suffixes exactly as defender-api.md §3.1 prints them.
const PRODUCT_FIX = 'Collection(microsoft.windowsDefenderATP.api.PublicProductFixDto)';
const VULNERABILITIES = 'Collection(Analytics.Contracts.PublicAPI.PublicVulnerabilityDto)';

const machineRef = (m: MachineDto): MachineRefDto => ({
  id: m.id,
  computerDnsName: m.computerDnsName,
  osPlatform: m.osPlatform,
  rbacGroupName: m.rbacGroupName,
});

function softwareOf(ctx: HandlerContext): SoftwareDto {
  const id = ctx.route.id ?? '';
  const software = ctx.dataset.softwareById.get(id.toLowerCase());
  if (!software) throw new EmulatorError('ResourceNotFound', `Software ${id} was not found`);
  return software;
}

function machineOf(ctx: HandlerContext): MachineDto {
  const id = ctx.route.id ?? '';
  const machine = ctx.dataset.machinesById.get(id.toLowerCase());
  if (!machine) throw new EmulatorError('ResourceNotFound', `Machine ${id} was not found`);
  return machine;
}

function vulnerabilityOf(ctx: HandlerContext): VulnerabilityDto {
  const id = ctx.route.id ?? '';
  const vulnerability = ctx.dataset.vulnerabilitiesById.get(id.toUpperCase());
  if (!vulnerability) throw new EmulatorError('ResourceNotFound', `Vulnerability ${id} was not found`);
  return vulnerability;
}

function context(ctx: HandlerContext, suffix: string): string {
  return `https://${ctx.url.host}/api/$metadata#${suffix}`;
}

// Sub-resources answer in one response (§5); 404-on-empty is the documented list-machines behaviour,
// offered as a switch because nothing documents it for these endpoints.
function collection(ctx: HandlerContext, suffix: string, value: readonly unknown[]): Record<string, unknown> {
  if (value.length === 0 && ctx.emptyIs404) {
    throw new EmulatorError(
      'ResourceNotFound',
      `No ${ctx.route.name.split('.')[1]} found for ${ctx.route.id}`,
    );
  }
  return { '@odata.context': context(ctx, suffix), value };
}

function listSoftware(ctx: HandlerContext): Record<string, unknown> {
  const query = parseListQuery(ctx.url.searchParams, {
    filterable: ['id', 'name', 'vendor'],
    maxTop: 10_000,
  });
  const page = paginate(ctx.dataset.software, query, ctx.pageSize);
  return {
    '@odata.context': context(ctx, 'Software'),
    ...(query.count ? { '@odata.count': page.total } : {}),
    value: page.rows,
    ...(page.nextSkip === null ? {} : { '@odata.nextLink': nextLink(ctx.url, page.nextSkip) }),
  };
}

function machineVulnerabilities(ctx: HandlerContext): VulnerabilityDto[] {
  const out: VulnerabilityDto[] = [];
  for (const inst of ctx.dataset.installationsByMachineId.get(machineOf(ctx).id) ?? []) {
    for (const v of ctx.dataset.vulnerabilitiesBySoftwareId.get(inst.softwareId) ?? []) {
      const record = ctx.dataset.vulnerabilityRecordsById.get(v.id);
      if (record && inst.versionIndex < record.fixedInIndex) out.push(v);
    }
  }
  return out;
}

function vulnerabilityMachines(ctx: HandlerContext): MachineRefDto[] {
  const record = ctx.dataset.vulnerabilityRecordsById.get(vulnerabilityOf(ctx).id);
  const installs = ctx.dataset.installationsBySoftwareId.get(record?.softwareId ?? '') ?? [];
  return installs
    .filter((inst) => inst.versionIndex < (record?.fixedInIndex ?? 0))
    .map((inst) => ctx.dataset.machinesById.get(inst.machineId))
    .filter((m): m is MachineDto => m !== undefined)
    .map(machineRef);
}

const HANDLERS: Record<RouteName, (ctx: HandlerContext) => Record<string, unknown>> = {
  'software.list': listSoftware,
  'software.get': (ctx) => ({ '@odata.context': context(ctx, 'Software/$entity'), ...softwareOf(ctx) }),
  'software.distributions': (ctx) =>
    collection(ctx, 'Distributions', ctx.dataset.distributionsBySoftwareId.get(softwareOf(ctx).id) ?? []),
  'software.machinereferences': (ctx) => {
    const installs = ctx.dataset.installationsBySoftwareId.get(softwareOf(ctx).id) ?? [];
    const machines = installs.map((i) => ctx.dataset.machinesById.get(i.machineId));
    return collection(ctx, 'MachineReferences', machines.filter((m) => m !== undefined).map(machineRef));
  },
  'software.vulnerabilities': (ctx) =>
    collection(ctx, VULNERABILITIES, ctx.dataset.vulnerabilitiesBySoftwareId.get(softwareOf(ctx).id) ?? []),
  'software.getmissingkbs': (ctx) =>
    collection(ctx, PRODUCT_FIX, ctx.dataset.missingKbsBySoftwareId.get(softwareOf(ctx).id) ?? []),
  'machines.get': (ctx) => ({ '@odata.context': context(ctx, 'Machine'), ...machineOf(ctx) }),
  'machines.getmissingkbs': (ctx) =>
    collection(ctx, PRODUCT_FIX, ctx.dataset.missingKbsByMachineId.get(machineOf(ctx).id) ?? []),
  'machines.software': (ctx) => {
    const installs = ctx.dataset.installationsByMachineId.get(machineOf(ctx).id) ?? [];
    const software = installs.map((i) => ctx.dataset.softwareById.get(i.softwareId));
    return collection(
      ctx,
      'Software',
      software.filter((s) => s !== undefined),
    );
  },
  'machines.vulnerabilities': (ctx) => collection(ctx, VULNERABILITIES, machineVulnerabilities(ctx)),
  'vulnerabilities.get': (ctx) => ({
    '@odata.context': context(ctx, 'Vulnerabilities/$entity'),
    ...vulnerabilityOf(ctx),
  }),
  'vulnerabilities.machinereferences': (ctx) =>
    collection(ctx, 'MachineReferences', vulnerabilityMachines(ctx)),
};

/**
 * Builds the JSON body of a matched GET. Throws EmulatorError for unknown ids (404 ResourceNotFound,
 * "Software {id} was not found") and bad OData options (400 ODataError).
 */
export function handleRoute(ctx: HandlerContext): Record<string, unknown> {
  return HANDLERS[ctx.route.name](ctx);
}
