import { DefenderError } from '../../defender/errors.js';

/**
 * `first` on the unpaged lists of the graph (a software's devices, its CVEs, a device's software).
 * Defender returns these in one response, so `first` saves no call on the list itself; it bounds what
 * is selected below each item, which is what lets the planner accept per-item drill-downs (a device's
 * `missingKbs` under `machines(first: 10)` costs at most 10 calls, under an unbounded list it could cost
 * hundreds).
 */
export const FIRST_DESCRIPTION =
  'At most this many items, in Defender order; all when omitted. Bounds the calls of per-item fields below (the planner counts this many items).';

/** Validates `first` before any call: undefined when absent, BAD_USER_INPUT when negative. */
export function firstBound(first: number | null | undefined): number | undefined {
  if (first === null || first === undefined) return undefined;
  if (first < 0) throw new DefenderError('BAD_USER_INPUT', `first must not be negative, got ${first}`);
  return first;
}

/** The first `bound` items (all when the bound is undefined). */
export const takeFirst = <T>(items: readonly T[], bound: number | undefined): T[] => items.slice(0, bound);

/** `listSize` for the planner: the `first` argument, or unbounded (the planner's assumed size). */
export function firstListSize(args: Record<string, unknown>): number {
  return typeof args.first === 'number' && args.first >= 0 ? args.first : Number.POSITIVE_INFINITY;
}
