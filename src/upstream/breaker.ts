import { DefenderError } from '../defender/errors.js';

/** Circuit state: `closed` lets calls through, `open` refuses them, `half-open` lets one probe through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Options of {@link CircuitBreaker}. */
export interface BreakerOptions {
  /** Consecutive upstream failures (5xx, network, timeout) that open the circuit. @default 5 */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe may test the host. @default 30000 */
  coolDownMs?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Told on every state change, e.g. to update a gauge or log. */
  onStateChange?: (state: BreakerState) => void;
}

/** How one admitted call ended, as far as the host's health goes. */
export interface BreakerTicket {
  /** Defender answered (any status that is not a transient failure): the host is up. */
  success(): void;
  /** A transient failure: 5xx, connection error, timeout. */
  failure(): void;
  /** Decided locally (budget, cancellation): says nothing about the host. */
  neutral(): void;
}

/**
 * A consecutive-failure circuit breaker, hand-written (about 60 lines) rather than cockatiel's, because
 * its clock must be injectable for tests and its "neutral" outcome (a call refused by our own budget)
 * has no equivalent there. Half-open admits exactly one probe; its success closes the circuit, its
 * failure opens it for another cool-down.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #threshold: number;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  readonly #onStateChange?: (state: BreakerState) => void;

  constructor(options: BreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#coolDownMs = options.coolDownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#onStateChange = options.onStateChange;
  }

  /** The state now (an open circuit past its cool-down reports `half-open`). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#coolDownMs) return 'half-open';
    return this.#state;
  }

  /**
   * Admits a call, or throws UPSTREAM_UNAVAILABLE (with `retryAfterSeconds`) at once while the circuit
   * is open or its single half-open probe is still out.
   */
  enter(): BreakerTicket {
    if (this.state === 'half-open') {
      if (this.#probing) throw this.#refusal(1000);
      this.#set('half-open');
      this.#probing = true;
    } else if (this.#state === 'open') {
      throw this.#refusal(this.#coolDownMs - (this.#now() - this.#openedAt));
    }
    const probe = this.#probing;
    let settled = false;
    const settle = (outcome: 'success' | 'failure' | 'neutral') => {
      if (settled) return;
      settled = true;
      if (probe) this.#probing = false;
      if (outcome === 'success') {
        this.#failures = 0;
        this.#set('closed');
      } else if (outcome === 'failure') {
        this.#failures += 1;
        // Late failures of calls admitted before the circuit opened do not extend its cool-down.
        if (probe || (this.#state === 'closed' && this.#failures >= this.#threshold)) this.#open();
      }
    };
    return {
      success: () => settle('success'),
      failure: () => settle('failure'),
      neutral: () => settle('neutral'),
    };
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#set('open');
  }

  #set(state: BreakerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onStateChange?.(state);
  }

  #refusal(waitMs: number): DefenderError {
    return new DefenderError(
      'UPSTREAM_UNAVAILABLE',
      'Defender is failing; calls are paused by the circuit breaker',
      { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), local: 'breaker' },
    );
  }
}
