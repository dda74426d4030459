import { builder } from '../builder.js';
import { upstream } from '../upstream.js';
import { DateTime } from './scalars.js';
import { Software } from './software.js';

/**
 * Freshness fields on cached types: when the data behind them was fetched from Defender. Values may
 * come from the shared cache, so `fetchedAt` can be minutes old; a response that used a value past its
 * fresh TTL also carries `extensions.stale: true`.
 */

const iso = (epochMs: number) => new Date(epochMs).toISOString();

builder.objectFields(Software, (t) => ({
  fetchedAt: t.field({
    type: DateTime,
    description:
      'When the software entity (`GET /api/Software/{id}`: name, vendor, counters) was fetched from ' +
      'Defender; it may come from the cache, see `extensions.stale`.',
    extensions: upstream('software', 'software.get'),
    resolve: async (s, _, ctx) => iso((await ctx.loaders.software.load(s.id)).fetchedAt),
  }),
  missingKbsFetchedAt: t.field({
    type: DateTime,
    description:
      'When `missingKbs` (`GET /api/Software/{id}/getmissingkbs`) was fetched from Defender; it may come ' +
      'from the cache, see `extensions.stale`.',
    extensions: upstream('missingKbs', 'software.getmissingkbs'),
    resolve: async (s, _, ctx) => iso((await ctx.loaders.missingKbs.load(s.id)).fetchedAt),
  }),
}));
