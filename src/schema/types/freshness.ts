import { builder } from '../builder.js';
import { upstream } from '../upstream.js';
import { Machine } from './machine.js';
import { DateTime } from './scalars.js';
import { Software } from './software.js';
import { Vulnerability } from './vulnerability.js';

/**
 * Freshness fields on cached types: when the data behind them was fetched from Defender. Values may
 * come from the shared cache, so `fetchedAt` can be minutes old; a response that used a value past its
 * fresh TTL also carries `extensions.stale: true`. Each field costs the call it reports on (declared
 * in `extensions.upstream`), so it only says something when that call's data is selected anyway.
 */

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const STALE_NOTE = 'It may come from the cache; see `extensions.stale` of the response.';

builder.objectFields(Software, (t) => ({
  fetchedAt: t.field({
    type: DateTime,
    description: `When the software entity (\`GET /api/Software/{id}\`: name, vendor, counters) was fetched from Defender. ${STALE_NOTE}`,
    extensions: upstream('software', 'software.get'),
    resolve: async (s, _, ctx) => iso((await ctx.loaders.software.load(s.id)).fetchedAt),
  }),
  missingKbsFetchedAt: t.field({
    type: DateTime,
    description: `When \`missingKbs\` (\`GET /api/Software/{id}/getmissingkbs\`) was fetched from Defender. ${STALE_NOTE}`,
    extensions: upstream('missingKbs', 'software.getmissingkbs'),
    resolve: async (s, _, ctx) => iso((await ctx.loaders.missingKbs.load(s.id)).fetchedAt),
  }),
}));

builder.objectFields(Machine, (t) => ({
  fetchedAt: t.field({
    type: DateTime,
    description: `When the device entity (\`GET /api/machines/{id}\`) was fetched from Defender. ${STALE_NOTE}`,
    extensions: upstream('machine', 'machines.get'),
    resolve: async (m, _, ctx) => iso((await ctx.loaders.machine.load(m.id)).fetchedAt),
  }),
}));

builder.objectFields(Vulnerability, (t) => ({
  fetchedAt: t.field({
    type: DateTime,
    description: `When the vulnerability entity (\`GET /api/vulnerabilities/{id}\`) was fetched from Defender. ${STALE_NOTE}`,
    extensions: upstream('vulnerability', 'vulnerabilities.get'),
    resolve: async (v, _, ctx) => iso((await ctx.loaders.vulnerability.load(v.id)).fetchedAt),
  }),
}));
