import { builder } from '../builder.js';
import { upstream } from '../upstream.js';
import { FIRST_DESCRIPTION, firstBound, firstListSize, takeFirst } from './first.js';
import { fromReferences, Machine } from './machine.js';
import { Software } from './software.js';
import { SoftwareVersion } from './version-distribution.js';
import { Severity, Vulnerability } from './vulnerability.js';

// The drill-down fields live apart from software.ts so Machine (which lists Software) and Software
// (which lists Machines) need no circular imports.
builder.objectFields(Software, (t) => ({
  versionDistribution: t.field({
    type: [SoftwareVersion],
    description: 'Installed versions and their device counts (one Defender call per software id).',
    extensions: upstream('distributions', 'software.distributions'),
    resolve: async (s, _, ctx) => (await ctx.loaders.distributions.load(s.id)).value,
  }),
  machines: t.field({
    type: [Machine],
    description:
      'Devices with this software installed (one Defender call per software id; their reference fields cost nothing more).',
    args: { first: t.arg.int({ required: false, description: FIRST_DESCRIPTION }) },
    extensions: upstream('machineReferences', 'software.machinereferences', { listSize: firstListSize }),
    resolve: async (s, args, ctx) => {
      const bound = firstBound(args.first);
      return fromReferences(takeFirst((await ctx.loaders.machineReferences.load(s.id)).value, bound));
    },
  }),
  vulnerabilities: t.field({
    type: [Vulnerability],
    description:
      'Vulnerabilities (CVEs) in this software (one Defender call per software id, whatever the filter).',
    args: {
      severity: t.arg({
        type: [Severity],
        required: false,
        description: 'Only these severities; all when omitted or null. Filtered here, not by Defender.',
      }),
      first: t.arg.int({ required: false, description: FIRST_DESCRIPTION }),
    },
    // The list carries whole vulnerabilities and primes their loader: their fields cost nothing more.
    extensions: upstream('softwareVulnerabilities', 'software.vulnerabilities', {
      primes: ['vulnerability'],
      listSize: firstListSize,
    }),
    resolve: async (s, args, ctx) => {
      const bound = firstBound(args.first);
      const all = (await ctx.loaders.softwareVulnerabilities.load(s.id)).value;
      const wanted = args.severity ? new Set<string>(args.severity) : undefined;
      const kept = all.filter((v) => !wanted || wanted.has(v.severity));
      return takeFirst(kept, bound).map((v) => ({ id: v.id }));
    },
  }),
}));
