import type { MissingKbDto } from '../../defender/types.js';
import { builder } from '../builder.js';

/** `MissingKb`: a security update that devices running a product still lack. */
export const MissingKb = builder.objectRef<MissingKbDto>('MissingKb').implement({
  description: 'A security update (KB) that devices with a product are missing, as Defender reports it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'KB number without the "KB" prefix, e.g. "5034441".' }),
    name: t.exposeString('name', { description: 'Bulletin name, e.g. "January 2024 Security Updates".' }),
    productsNames: t.exposeStringList('productsNames', {
      description: 'Names of the products (software `name`s) this update fixes.',
    }),
    url: t.exposeString('url', { description: 'Microsoft Update Catalog page for this KB.' }),
    machineMissedOn: t.exposeInt('machineMissedOn', {
      description: 'Number of devices missing this update.',
    }),
    cveAddressed: t.exposeInt('cveAddressed', {
      description: 'Number of vulnerabilities (CVEs) this update fixes.',
    }),
  }),
});
