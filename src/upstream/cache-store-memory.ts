import { LRUCache } from 'lru-cache';
import { type CacheEntry, type CacheStore, decodeEntry } from './cache-store.js';

/**
 * Bookkeeping bytes per entry besides its key and JSON text (string headers, map slot, LRU links, size
 * slot), so that many tiny entries (e.g. remembered 404s) cannot outgrow the bound by their overhead.
 * Measured: 300,000 software entities grew the heap by 687 bytes each, against 527 bytes of key and text.
 */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * Each entry is charged this multiple of its bytes so that `DEFENDER_CACHE_MAX_MB` bounds what the
 * cache adds to the process's RSS, not a best case: under continuous eviction V8's old space keeps
 * fragmented pages, and the heap settles near 1.5× the live bytes (`npm run bench`, row (d):
 * 1,000,000 distinct ids through a 256 MB cache → 366 MB RSS, 77 MB of it the bare process).
 */
export const HEAP_CHURN_FACTOR = 1.5;

/** Options of {@link createMemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** Upper bound of cached bytes (keys + JSON text + {@link ENTRY_OVERHEAD_BYTES} each); 0 keeps nothing. */
  maxBytes: number;
  /** Optional upper bound on the number of entries. @default unbounded (only `maxBytes` applies) */
  maxEntries?: number;
  /** Called for every entry dropped to make room (not for overwrites). */
  onEvict?: () => void;
}

/** The in-memory store, with its occupancy for gauges and tests. */
export interface MemoryCacheStore extends CacheStore {
  stats(): { entries: number; bytes: number };
}

/** Approximate heap bytes of a string: V8 keeps Latin-1 text at one byte per character, others at two. */
function stringBytes(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point
  return /[^\u0000-\u00ff]/.test(text) ? text.length * 2 : text.length;
}

/**
 * An LRU cache bounded by bytes. Entries are kept as JSON text, not objects: text costs about its
 * length in memory while parsed objects cost several times their JSON size, so the bound stays honest.
 * Expiry is judged by the caching layer on its own (injectable) clock, not here.
 */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions): MemoryCacheStore {
  const lru = new LRUCache<string, string>({
    maxSize: Math.max(1, options.maxBytes),
    ...(options.maxEntries ? { max: options.maxEntries } : {}),
    sizeCalculation: (text, key) =>
      Math.max(
        1,
        Math.ceil(HEAP_CHURN_FACTOR * (stringBytes(text) + stringBytes(key) + ENTRY_OVERHEAD_BYTES)),
      ),
    dispose: (_text, _key, reason) => {
      if (reason === 'evict') options.onEvict?.();
    },
  });
  return {
    async get(key) {
      return decodeEntry(lru.get(key));
    },
    async set(key, entry: CacheEntry) {
      if (options.maxBytes <= 0) return; // DEFENDER_CACHE_MAX_MB=0: coalescing only, nothing kept
      // An entry larger than the whole bound is refused by lru-cache, which is what we want.
      lru.set(key, JSON.stringify(entry));
    },
    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
  };
}
