/** The planner's answer for one operation. */
export interface Plan {
  /** Worst-case number of Defender calls the operation can make. */
  estimatedCalls: number;
  /** The same, per endpoint template (e.g. `software.getmissingkbs`), sorted by name; zeros omitted. */
  byEndpoint: Record<string, number>;
}

interface Bucket {
  endpoint: string;
  /** Exact distinct keys: a per-request loader calls once per key. */
  keys: Set<string>;
  /** Calls whose keys are unknown (or that no loader dedupes): each one counts. */
  count: number;
}

/**
 * Accumulates calls per bucket: a bucket is one per-request loader (its known keys dedupe, as the
 * DataLoader does) or one endpoint called directly. Unknown keys are counted as all different, which
 * is the worst case.
 */
export class Tally {
  private readonly buckets = new Map<string, Bucket>();

  private bucket(name: string, endpoint: string): Bucket {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = { endpoint, keys: new Set(), count: 0 };
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  /** One call per key not seen before in this bucket. */
  addKeys(name: string, endpoint: string, keys: Iterable<string>): void {
    const bucket = this.bucket(name, endpoint);
    for (const key of keys) bucket.keys.add(key);
  }

  /** `count` more calls, never deduplicated. */
  addCount(name: string, endpoint: string, count: number): void {
    if (count > 0) this.bucket(name, endpoint).count += count;
  }

  /** The totals. */
  plan(): Plan {
    const byEndpoint = new Map<string, number>();
    for (const bucket of this.buckets.values()) {
      const calls = bucket.keys.size + bucket.count;
      if (calls > 0) byEndpoint.set(bucket.endpoint, (byEndpoint.get(bucket.endpoint) ?? 0) + calls);
    }
    const sorted = [...byEndpoint].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      estimatedCalls: sorted.reduce((sum, [, calls]) => sum + calls, 0),
      byEndpoint: Object.fromEntries(sorted),
    };
  }
}
