import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/upstream/cache-store.js';
import { decodeEntry } from '../../src/upstream/cache-store.js';
import {
  createMemoryCacheStore,
  ENTRY_OVERHEAD_BYTES,
  HEAP_CHURN_FACTOR,
} from '../../src/upstream/cache-store-memory.js';

const entry = (value: unknown): CacheEntry => ({ kind: 'value', value, fetchedAt: 1, expiresAt: 2 });
/** Bytes one entry is charged: (key + JSON text + overhead) × the heap churn factor. */
const size = (key: string, e: CacheEntry) =>
  Math.ceil(HEAP_CHURN_FACTOR * (key.length + JSON.stringify(e).length + ENTRY_OVERHEAD_BYTES));

describe('createMemoryCacheStore', () => {
  it('round-trips entries as copies', async () => {
    const store = createMemoryCacheStore({ maxBytes: 10_000 });
    const value = { name: 'edge', list: [1, 2] };
    await store.set('k', entry(value), 1000);
    const back = await store.get('k');
    expect(back).toEqual(entry(value));
    expect(back?.kind === 'value' && back.value).not.toBe(value);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('evicts the least recently used entries to stay within maxBytes', async () => {
    const one = size('k0', entry('x'.repeat(100)));
    let evicted = 0;
    const store = createMemoryCacheStore({ maxBytes: one * 3, onEvict: () => evicted++ });
    for (let i = 0; i < 3; i++) await store.set(`k${i}`, entry('x'.repeat(100)), 1000);
    expect(store.stats()).toEqual({ entries: 3, bytes: one * 3 });
    await store.get('k0'); // k0 becomes most recently used, k1 is now the oldest
    await store.set('k3', entry('x'.repeat(100)), 1000);
    expect(evicted).toBe(1);
    expect(store.stats()).toEqual({ entries: 3, bytes: one * 3 });
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k0')).toBeDefined();
    expect(await store.get('k3')).toBeDefined();
  });

  it('counts bytes, not entries: one big entry pushes out several small ones', async () => {
    const small = size('s0', entry('x'));
    const store = createMemoryCacheStore({ maxBytes: small * 4 });
    for (let i = 0; i < 4; i++) await store.set(`s${i}`, entry('x'), 1000);
    await store.set('big', entry('y'.repeat(small)), 1000);
    expect(store.stats().entries).toBe(2); // big + the most recent small one
    expect(await store.get('s3')).toBeDefined();
    expect(store.stats().bytes).toBeLessThanOrEqual(small * 4);
  });

  it('honours an entry-count bound too', async () => {
    const store = createMemoryCacheStore({ maxBytes: 1 << 20, maxEntries: 2 });
    for (let i = 0; i < 5; i++) await store.set(`k${i}`, entry(i), 1000);
    expect(store.stats().entries).toBe(2);
    expect(await store.get('k4')).toBeDefined();
    expect(await store.get('k0')).toBeUndefined();
  });

  it('refuses an entry larger than the whole bound, and keeps nothing with maxBytes 0', async () => {
    const store = createMemoryCacheStore({ maxBytes: 500 });
    await store.set('huge', entry('z'.repeat(1000)), 1000);
    expect(store.stats().entries).toBe(0);
    const none = createMemoryCacheStore({ maxBytes: 0 });
    await none.set('k', entry(1), 1000);
    expect(await none.get('k')).toBeUndefined();
  });

  it('counts non-Latin-1 text at two bytes a character', async () => {
    const store = createMemoryCacheStore({ maxBytes: 1 << 20 });
    await store.set('k', entry('€'.repeat(10)), 1000);
    // the Latin-1 key at one byte a character, the JSON text at two
    const json = JSON.stringify(entry('€'.repeat(10))).length;
    expect(store.stats().bytes).toBe(Math.ceil(HEAP_CHURN_FACTOR * (1 + 2 * json + ENTRY_OVERHEAD_BYTES)));
  });
});

describe('decodeEntry', () => {
  it('treats anything unreadable as a miss', () => {
    expect(decodeEntry(undefined)).toBeUndefined();
    expect(decodeEntry('not json')).toBeUndefined();
    expect(decodeEntry('{"kind":"value"}')).toBeUndefined();
    expect(decodeEntry('{"kind":"other","fetchedAt":1,"expiresAt":2}')).toBeUndefined();
    expect(decodeEntry('null')).toBeUndefined();
  });
});
