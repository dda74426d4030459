import type { DefenderErrorDetails } from '../defender/errors.js';

/**
 * One cached upstream outcome: a response body, or a remembered 404 (the only error ever cached).
 * Times are epoch milliseconds on the cache's clock.
 */
export type CacheEntry =
  | { kind: 'value'; value: unknown; fetchedAt: number; expiresAt: number }
  | {
      kind: 'notFound';
      message: string;
      details: Pick<DefenderErrorDetails, 'status' | 'upstreamCode' | 'target'>;
      fetchedAt: number;
      expiresAt: number;
    };

/**
 * Where entries live: process memory (LRU) or Redis shared by every replica. Entries are stored as
 * JSON text, so a hit hands every caller its own copy and the memory bound counts real bytes.
 */
export interface CacheStore {
  /** The entry under `key`, or undefined. Never throws: a broken store is a miss. */
  get(key: string): Promise<CacheEntry | undefined>;
  /**
   * Stores `entry` for at least `ttlMs` (a store may drop it earlier under memory pressure).
   * Never throws: a broken store only loses the entry.
   */
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void>;
  /** Releases connections; the memory store has none. */
  close?(): Promise<void>;
}

/** Reads an entry back from its JSON text; anything unreadable is a miss. */
export function decodeEntry(text: string | null | undefined): CacheEntry | undefined {
  if (!text) return undefined;
  try {
    const entry = JSON.parse(text) as CacheEntry;
    if (typeof entry?.fetchedAt !== 'number' || typeof entry.expiresAt !== 'number') return undefined;
    return entry.kind === 'value' || entry.kind === 'notFound' ? entry : undefined;
  } catch {
    return undefined;
  }
}
