import { builder } from '../builder.js';
import { upstream } from '../upstream.js';
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
    extensions: upstream('machineReferences', 'software.machinereferences'),
    resolve: async (s, _, ctx) => fromReferences((await ctx.loaders.machineReferences.load(s.id)).value),
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
    },
    extensions: upstream('softwareVulnerabilities', 'software.vulnerabilities'),
    resolve: async (s, args, ctx) => {
      const all = (await ctx.loaders.softwareVulnerabilities.load(s.id)).value;
      if (!args.severity) return all;
      const wanted = new Set<string>(args.severity);
      return all.filter((v) => wanted.has(v.severity));
    },
  }),
}));
