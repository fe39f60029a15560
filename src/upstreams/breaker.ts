import { UpstreamError } from '../errors.js';
import type { ImportExportUpstream, IotUpstream, SourceName, Upstreams } from './types.js';

/**
 * A circuit breaker per upstream. While an upstream keeps failing, calls fail at once with
 * UPSTREAM_UNAVAILABLE instead of each waiting for its deadline and retries: the upstream gets
 * room to recover and clients get fast, honest answers. After `resetTimeoutMs` one probe call is
 * let through; its success closes the circuit, its failure opens it again.
 *
 * Only failures that say the upstream is unwell count (5xx, network, timeout, throttling, a body
 * that does not parse); a client mistake or a missing job says nothing about the upstream's health.
 */

export interface BreakerOptions {
  /** Share of failed calls in the window that opens the circuit. @default 0.5 */
  readonly errorThreshold: number;
  /** Calls the window must hold before the share counts. @default 10 */
  readonly minimumCalls: number;
  /** Calls remembered. @default 20 */
  readonly windowSize: number;
  /** How long the circuit stays open before a probe. @default 10000 */
  readonly resetTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = Object.freeze({
  errorThreshold: 0.5,
  minimumCalls: 10,
  windowSize: 20,
  resetTimeoutMs: 10_000,
});

export type BreakerState = 'closed' | 'open' | 'half-open';

const HEALTH_FAILURES = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_BAD_RESPONSE',
]);

export class CircuitBreaker {
  private outcomes: boolean[] = [];
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';

  constructor(
    readonly source: SourceName,
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
    private readonly onStateChange?: (state: BreakerState, source: SourceName) => void,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.resetTimeoutMs) {
      return 'half-open';
    }
    return this.current;
  }

  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', this.source, {
        upstreamCode: 'CircuitOpen',
        attempts: 0,
      });
    }
    const probe = state === 'half-open';
    if (probe) {
      this.probing = true;
      this.transition('half-open');
    }
    try {
      const result = await call();
      this.record(true, probe);
      return result;
    } catch (error) {
      // A caller that gave up (its client went away) tells nothing about the upstream: neither a
      // failure to count, nor, for a probe, the success that would close the circuit.
      if (signal?.aborted) {
        if (probe) this.transition('open');
        throw error;
      }
      const unwell = error instanceof UpstreamError && HEALTH_FAILURES.has(error.code);
      this.record(!unwell, probe);
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private record(success: boolean, probe: boolean): void {
    if (probe) {
      if (success) {
        this.outcomes = [];
        this.transition('closed');
      } else {
        this.openedAt = this.now();
        this.transition('open');
      }
      return;
    }
    if (this.current !== 'closed') return;
    this.outcomes.push(success);
    if (this.outcomes.length > this.options.windowSize) this.outcomes.shift();
    if (this.outcomes.length < this.options.minimumCalls) return;
    const failures = this.outcomes.reduce((n, ok) => (ok ? n : n + 1), 0);
    if (failures / this.outcomes.length >= this.options.errorThreshold) {
      this.openedAt = this.now();
      this.outcomes = [];
      this.transition('open');
    }
  }

  private transition(state: BreakerState): void {
    if (this.current === state) return;
    this.current = state;
    this.onStateChange?.(state, this.source);
  }
}

export interface GuardedUpstreams extends Upstreams {
  readonly breakers: { readonly IOT: CircuitBreaker; readonly IMPORT_EXPORT: CircuitBreaker };
}

/** The same upstreams, each call going through its upstream's breaker. */
export function withCircuitBreakers(
  upstreams: Upstreams,
  options: BreakerOptions = DEFAULT_BREAKER,
  onStateChange?: (state: BreakerState, source: SourceName) => void,
): GuardedUpstreams {
  const iotBreaker = new CircuitBreaker('IOT', options, Date.now, onStateChange);
  const ieBreaker = new CircuitBreaker('IMPORT_EXPORT', options, Date.now, onStateChange);
  const { iot: i, importExport: x } = upstreams;
  const iot: IotUpstream = {
    source: 'IOT',
    listJobs: (input) => iotBreaker.run(() => i.listJobs(input), input.signal),
    describeJob: (id, o) => iotBreaker.run(() => i.describeJob(id, o), o?.signal),
    describeThingGroup: (name, o) => iotBreaker.run(() => i.describeThingGroup(name, o), o?.signal),
    destroy: () => i.destroy(),
  };
  const importExport: ImportExportUpstream = {
    source: 'IMPORT_EXPORT',
    listJobs: (input) => ieBreaker.run(() => x.listJobs(input), input.signal),
    getStatus: (id, o) => ieBreaker.run(() => x.getStatus(id, o), o?.signal),
    destroy: () => x.destroy(),
  };
  return { iot, importExport, breakers: { IOT: iotBreaker, IMPORT_EXPORT: ieBreaker } };
}
