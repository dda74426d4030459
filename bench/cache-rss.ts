import type { DefenderHttp } from '../src/defender/http.js';
import { DEFAULT_CACHE_CONFIG } from '../src/upstream/cache-policy.js';
import { createCacheLayer } from '../src/upstream/cache-setup.js';

/**
 * Benchmark (d), run in its own process with --expose-gc: pushes N distinct software ids through the
 * production cache layer (memory store, default cap) and prints one JSON line with the memory figures.
 * The inner pipeline is a stub answering a realistic missing-KB list, so only the cache holds memory.
 */
const total = Number(process.argv[2] ?? 1_000_000);
const maxMb = Number(process.env.DEFENDER_CACHE_MAX_MB ?? DEFAULT_CACHE_CONFIG.maxMb);
const body = (id: string) => ({
  '@odata.context': 'https://api.security.microsoft.com/api/$metadata#Collection(PublicProductFixDto)',
  value: [
    {
      id: String(5_030_000 + (id.length % 1000)),
      name: 'March 2024 Security Updates',
      productsNames: [id.split('-_-')[1] ?? id],
      url: 'https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5035845',
      machineMissedOn: 42,
      cveAddressed: 7,
    },
  ],
});
const inner: DefenderHttp = {
  getJson: async (url) => ({ value: body(url.pathname), fetchedAt: Date.now(), stale: false }),
};
const cache = createCacheLayer({
  config: { ...DEFAULT_CACHE_CONFIG, maxMb },
  tenantId: 'bench-tenant',
  clientId: 'bench-app',
  apiRoot: 'https://api.security.microsoft.com/api',
});
const http = cache.wrap(inner);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc();
const before = process.memoryUsage();
const started = performance.now();
const batch = 1000;
for (let start = 0; start < total; start += batch) {
  const calls: Promise<unknown>[] = [];
  for (let i = start; i < Math.min(total, start + batch); i++) {
    const url = new URL(
      `https://api.security.microsoft.com/api/Software/vendor${i}-_-product_${i}/getmissingkbs`,
    );
    calls.push(http.getJson(url, { endpoint: 'software.getmissingkbs' }));
  }
  await Promise.all(calls);
}
const seconds = (performance.now() - started) / 1000;
// V8 gives pages back to the OS only after a full collection finds them empty; settle like an idle server.
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const after = process.memoryUsage();
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
console.log(
  JSON.stringify({
    ids: total,
    capMb: maxMb,
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    heapUsedMb: mb(after.heapUsed),
    heapTotalMb: mb(after.heapTotal),
    externalMb: mb(after.external),
    idsPerSecond: Math.round(total / seconds),
    // Read after the measurement, which also keeps the cache reachable until then.
    entries: (cache.store as { stats?: () => { entries: number } }).stats?.().entries,
  }),
);
