import type { MachineDto, MachineIpAddressDto, MachineRefDto } from '../../defender/types.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { EntityKind } from '../existence.js';
import { validateId } from '../ids.js';
import { upstream } from '../upstream.js';
import { FIRST_DESCRIPTION, firstBound, firstListSize, takeFirst } from './first.js';
import { MissingKb } from './missing-kb.js';
import { DateTime } from './scalars.js';
import { Software } from './software.js';

/**
 * A Machine as resolvers pass it around: the key, plus the reference fields when it came from a
 * `machineReferences` list (then those fields cost nothing; otherwise they come from `GET /machines/{id}`).
 */
export interface MachineParent {
  id: string;
  ref?: MachineRefDto;
}

/** The reference fields: on every `machineReferences` item, so they never need a machine call there. */
const REFERENCE_FIELDS = ['computerDnsName', 'osPlatform', 'rbacGroupName'] as const;

/** Existence checks for `machine(id)` and `_entities`: unknown ids → NOT_FOUND. */
export const MACHINE_KIND: EntityKind = {
  typeName: 'Machine',
  label: 'machine',
  entityLoader: 'machine',
  keyOnlyFields: new Set(REFERENCE_FIELDS),
};

/** Machine parents from reference DTOs: the list is the proof of existence, no check needed. */
export const fromReferences = (refs: readonly MachineRefDto[]): MachineParent[] =>
  refs.map((ref) => ({ id: ref.id, ref }));

/** `Machine`: a device, federation entity keyed by `id`. */
export const Machine = builder.objectRef<MachineParent>('Machine');

const entity = upstream('machine', 'machines.get');
const load = async (m: MachineParent, ctx: Context) => (await ctx.loaders.machine.load(m.id)).value;
/** A field only the full machine has: one `GET /api/machines/{id}` per distinct id. */
const detail =
  <K extends keyof MachineDto>(key: K) =>
  async (m: MachineParent, _args: object, ctx: Context): Promise<MachineDto[K]> =>
    (await load(m, ctx))[key];
/** A reference field: from the reference when the parent has it, else from the machine call. */
const reference =
  <K extends (typeof REFERENCE_FIELDS)[number]>(key: K) =>
  async (m: MachineParent, _args: object, ctx: Context): Promise<string> =>
    m.ref ? m.ref[key] : (await load(m, ctx))[key];

const MachineIpAddress = builder.objectRef<MachineIpAddressDto>('MachineIpAddress').implement({
  description: 'A network adapter address of a device.',
  fields: (t) => ({
    ipAddress: t.exposeString('ipAddress', { nullable: true, description: 'IPv4 or IPv6 address.' }),
    macAddress: t.exposeString('macAddress', { nullable: true, description: 'MAC address of the adapter.' }),
    operationalStatus: t.exposeString('operationalStatus', {
      nullable: true,
      description: 'Adapter status, e.g. "Up".',
    }),
  }),
});

/** Keys of the machine's optional text properties. */
type TextKey = { [K in keyof MachineDto]: MachineDto[K] extends string | null ? K : never }[keyof MachineDto];

Machine.implement({
  description:
    'A device onboarded to Defender. Reference fields (`computerDnsName`, `osPlatform`, `rbacGroupName`) are free under a software; other fields cost one `GET /api/machines/{id}` per distinct device.',
  fields: (t) => {
    const nullableText = (key: TextKey, description: string) =>
      t.string({ nullable: true, description, extensions: entity, resolve: detail(key) });
    return {
      id: t.exposeID('id', { description: 'Defender device id, 40 hex characters.' }),
      computerDnsName: t.string({
        description: 'Fully qualified device name.',
        resolve: reference('computerDnsName'),
      }),
      osPlatform: t.string({
        description: 'Operating system platform, e.g. "Windows11".',
        resolve: reference('osPlatform'),
      }),
      rbacGroupName: t.string({ description: 'Device group name.', resolve: reference('rbacGroupName') }),
      firstSeen: t.field({
        type: DateTime,
        nullable: true,
        description: 'When Defender first saw the device.',
        extensions: entity,
        resolve: detail('firstSeen'),
      }),
      lastSeen: t.field({
        type: DateTime,
        nullable: true,
        description: 'When the device last reported to Defender.',
        extensions: entity,
        resolve: detail('lastSeen'),
      }),
      osProcessor: t.string({
        nullable: true,
        description: 'Processor architecture as Defender used to report it.',
        deprecationReason: 'Deprecated by Defender; use `osArchitecture`.',
        extensions: entity,
        resolve: detail('osProcessor'),
      }),
      osArchitecture: nullableText('osArchitecture', 'Operating system architecture, e.g. "64-bit".'),
      version: nullableText('version', 'Operating system version, e.g. "22H2".'),
      osBuild: t.int({
        nullable: true,
        description: 'Operating system build number; null on platforms without one.',
        extensions: entity,
        resolve: detail('osBuild'),
      }),
      lastIpAddress: nullableText('lastIpAddress', 'Last internal IP address.'),
      lastExternalIpAddress: nullableText('lastExternalIpAddress', 'Last external IP address.'),
      healthStatus: nullableText('healthStatus', 'Sensor health, e.g. "Active", "Inactive".'),
      onboardingStatus: nullableText('onboardingStatus', 'Onboarding status, e.g. "Onboarded".'),
      rbacGroupId: nullableText('rbacGroupId', 'Device group id (a number, as a string).'),
      riskScore: nullableText('riskScore', 'Risk: None, Informational, Low, Medium or High.'),
      exposureLevel: nullableText('exposureLevel', 'Exposure: None, Low, Medium or High.'),
      deviceValue: nullableText('deviceValue', 'Business value: Normal, Low or High.'),
      aadDeviceId: nullableText('aadDeviceId', 'Microsoft Entra device id, when joined.'),
      isAadJoined: t.boolean({
        nullable: true,
        description: 'Whether the device is joined to Microsoft Entra ID.',
        extensions: entity,
        resolve: detail('isAadJoined'),
      }),
      machineTags: t.stringList({
        description: 'Tags set on the device.',
        extensions: entity,
        resolve: detail('machineTags'),
      }),
      ipAddresses: t.field({
        type: [MachineIpAddress],
        description: 'Addresses of its network adapters.',
        extensions: entity,
        resolve: detail('ipAddresses'),
      }),
      missingKbs: t.field({
        type: [MissingKb],
        description: 'Security updates this device is missing (one Defender call per device).',
        extensions: upstream('machineMissingKbs', 'machines.getmissingkbs'),
        resolve: async (m, _, ctx) => (await ctx.loaders.machineMissingKbs.load(m.id)).value,
      }),
      software: t.field({
        type: [Software],
        description:
          'Software installed on this device (one Defender call per device; their Software fields then cost nothing more).',
        args: { first: t.arg.int({ required: false, description: FIRST_DESCRIPTION }) },
        extensions: upstream('machineSoftware', 'machines.software', {
          primes: ['software'],
          listSize: firstListSize,
        }),
        resolve: async (m, args, ctx) => {
          const bound = firstBound(args.first);
          return takeFirst((await ctx.loaders.machineSoftware.load(m.id)).value, bound).map((s) => ({
            id: s.id,
          }));
        },
      }),
    };
  },
});

builder.asEntity(Machine, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (ref, ctx, info) => {
    const id = validateId(String(ref.id), 'machine id');
    await ctx.existence.check(id, info, MACHINE_KIND);
    return { id };
  },
});

builder.queryFields((t) => ({
  machine: t.field({
    type: Machine,
    nullable: true,
    description: 'One device by Defender id; null with a NOT_FOUND error when Defender does not know it.',
    args: { id: t.arg.id({ required: true, description: 'Defender device id (40 hex characters).' }) },
    // At most one machine call for this id, shared with every Machine field that needs it.
    extensions: entity,
    resolve: async (_, args, ctx, info) => {
      const id = validateId(String(args.id), 'machine id');
      await ctx.existence.check(id, info, MACHINE_KIND);
      return { id };
    },
  }),
}));
