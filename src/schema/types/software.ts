import { DefenderError } from '../../defender/errors.js';
import type { SoftwareDto } from '../../defender/types.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { validateId } from '../ids.js';
import { upstream, upstreamCalls } from '../upstream.js';
import { MissingKb } from './missing-kb.js';

/** A Software as resolvers pass it around: the key alone; data comes from per-request loaders. */
export interface SoftwareRef {
  id: string;
}

/** Upper bound on ids in one `softwareByIds` call; each distinct id can cost upstream calls. */
export const MAX_IDS = 500;

export const Software = builder.objectRef<SoftwareRef>('Software');

const entity = upstream('software', 'software.get');
/** Resolver reading one property of the Software entity through the request's loader. */
const field =
  <K extends keyof SoftwareDto>(key: K) =>
  async (parent: SoftwareRef, _args: object, ctx: Context): Promise<SoftwareDto[K]> =>
    (await ctx.loaders.software.load(parent.id)).value[key];
/** Same for the undocumented extras, which Defender may omit. */
const optional =
  <K extends keyof SoftwareDto>(key: K) =>
  async (parent: SoftwareRef, args: object, ctx: Context) =>
    (await field(key)(parent, args, ctx)) ?? null;

Software.implement({
  description: 'A software product in the Defender Vulnerability Management inventory.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'Defender software id, `{vendor}-_-{name}`, e.g. "microsoft-_-edge".',
    }),
    name: t.string({
      description: 'Product name, lower case with underscores, e.g. "edge".',
      extensions: entity,
      resolve: field('name'),
    }),
    vendor: t.string({
      description: 'Vendor name, lower case, e.g. "microsoft".',
      extensions: entity,
      resolve: field('vendor'),
    }),
    weaknesses: t.int({
      description: 'Number of discovered vulnerabilities (CVEs).',
      extensions: entity,
      resolve: field('weaknesses'),
    }),
    publicExploit: t.boolean({
      description: 'Whether a public exploit exists for any of its vulnerabilities.',
      extensions: entity,
      resolve: field('publicExploit'),
    }),
    activeAlert: t.boolean({
      description: 'Whether an active alert is associated with this software.',
      extensions: entity,
      resolve: field('activeAlert'),
    }),
    exposedMachines: t.int({
      description: 'Number of exposed (vulnerable) devices; not the installed count.',
      extensions: entity,
      resolve: field('exposedMachines'),
    }),
    impactScore: t.float({
      description: 'Impact of this software on the organisation exposure score.',
      extensions: entity,
      resolve: field('impactScore'),
    }),
    installedMachines: t.int({
      nullable: true,
      description:
        'Devices with the software installed. Undocumented by Microsoft; null when Defender omits it.',
      extensions: entity,
      resolve: optional('installedMachines'),
    }),
    isNormalized: t.boolean({
      nullable: true,
      description: 'Whether Defender normalised this product. Undocumented; null when omitted.',
      extensions: entity,
      resolve: optional('isNormalized'),
    }),
    category: t.string({
      nullable: true,
      description: 'Product category, e.g. "Application". Undocumented; null when omitted.',
      extensions: entity,
      resolve: optional('category'),
    }),
    missingKbs: t.field({
      type: [MissingKb],
      description: 'Security updates that devices with this software are missing (one Defender call per id).',
      extensions: upstream('missingKbs', 'software.getmissingkbs'),
      resolve: async (s, _, ctx) => (await ctx.loaders.missingKbs.load(s.id)).value,
    }),
  }),
});

builder.asEntity(Software, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (ref, ctx, info) => {
    const id = validateId(String(ref.id));
    await ctx.existence.check(id, info);
    return { id };
  },
});

builder.queryFields((t) => ({
  software: t.field({
    type: Software,
    nullable: true,
    description: 'One software by Defender id; null with a NOT_FOUND error when Defender does not know it.',
    args: { id: t.arg.id({ required: true, description: 'Defender software id, e.g. "microsoft-_-edge".' }) },
    resolve: async (_, args, ctx, info) => {
      const id = validateId(String(args.id));
      await ctx.existence.check(id, info);
      return { id };
    },
  }),
  softwareByIds: t.field({
    type: [Software],
    nullable: { list: false, items: true },
    description: `Several software in the order of \`ids\` (at most ${MAX_IDS}); an unknown id is null with its own error.`,
    args: {
      ids: t.arg.idList({ required: true, description: 'Defender software ids; repeats are fetched once.' }),
    },
    extensions: upstreamCalls('software.byIds', {
      calls: () => 0,
      listSize: (args) => new Set((args.ids as unknown[] | undefined) ?? []).size,
    }),
    resolve: (_, args, ctx, info) => {
      if (args.ids.length > MAX_IDS) {
        throw new DefenderError(
          'BAD_USER_INPUT',
          `softwareByIds accepts at most ${MAX_IDS} ids, got ${args.ids.length}`,
        );
      }
      return args.ids.map(async (raw) => {
        const id = validateId(String(raw));
        await ctx.existence.check(id, info);
        return { id };
      });
    },
  }),
}));
