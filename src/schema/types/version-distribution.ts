import type { DistributionDto } from '../../defender/types.js';
import { builder } from '../builder.js';

/** `SoftwareVersion`: one installed version of a product and how many devices run it. */
export const SoftwareVersion = builder.objectRef<DistributionDto>('SoftwareVersion').implement({
  description: 'One version of a software product found in the organisation (Defender "distributions").',
  fields: (t) => ({
    version: t.exposeString('version', { description: 'Version string as reported, e.g. "124.0.2478.80".' }),
    installations: t.exposeInt('installations', {
      description: 'Number of devices with this version installed.',
    }),
    vulnerabilities: t.exposeInt('vulnerabilities', {
      description: 'Number of vulnerabilities (CVEs) affecting this version.',
    }),
  }),
});
