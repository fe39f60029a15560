import { UpstreamError } from '../errors.js';
import type { ImportExportUpstream, IotUpstream, SourceName, Upstreams } from './types.js';

/**
 * A circuit breaker per upstream (per region for IoT). While an upstream keeps failing, calls fail
 * at once with UPSTREAM_UNAVAILABLE instead of each waiting for its deadline and retries: the
 * upstream gets room to recover and clients get fast, honest answers. After `resetTimeoutMs` one
 * probe call is let through; its success closes the circuit, its failure opens it again.
 *
 * Only failures that say the upstream is unwell count (5xx, network, timeout, throttling, a body
 * that does not parse); a client mistake or a missing job says nothing about the upstream's health.
 * A call cut short by its request's deadline while it waited on the upstream is a timeout like any
 * other; a call whose client went away tells nothing and is not counted.
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

/** An upstream as breakers, metrics and health name it. */
export interface UpstreamLabel {
  readonly source: SourceName;
  /** For a regional upstream (IoT). */
  readonly region?: string | undefined;
}

/** What an upstream's recent calls say about it. */
export interface UpstreamHealth {
  readonly breaker: BreakerState;
  /** Calls that ended within the health window (probes included). */
  readonly calls: number;
  /** Share of those that succeeded; 1 when there were none. */
  readonly successRatio: number;
}

const HEALTH_FAILURES = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_BAD_RESPONSE',
]);

/** How far back health looks, in one-second buckets. */
export const HEALTH_WINDOW_SECONDS = 30;

/** Successes and failures per second over the last HEALTH_WINDOW_SECONDS seconds. */
class OutcomeWindow {
  private readonly ok = new Array<number>(HEALTH_WINDOW_SECONDS).fill(0);
  private readonly failed = new Array<number>(HEALTH_WINDOW_SECONDS).fill(0);
  private second = 0;

  constructor(private readonly now: () => number) {}

  add(success: boolean): void {
    this.advance();
    const slot = this.second % HEALTH_WINDOW_SECONDS;
    if (success) this.ok[slot] = (this.ok[slot] ?? 0) + 1;
    else this.failed[slot] = (this.failed[slot] ?? 0) + 1;
  }

  totals(): { ok: number; failed: number } {
    this.advance();
    let ok = 0;
    let failed = 0;
    for (let i = 0; i < HEALTH_WINDOW_SECONDS; i++) {
      ok += this.ok[i] ?? 0;
      failed += this.failed[i] ?? 0;
    }
    return { ok, failed };
  }

  /** Clears the buckets of the seconds that passed since the last call. */
  private advance(): void {
    const current = Math.floor(this.now() / 1000);
    const passed = Math.min(current - this.second, HEALTH_WINDOW_SECONDS);
    for (let i = 1; i <= passed; i++) {
      const slot = (this.second + i) % HEALTH_WINDOW_SECONDS;
      this.ok[slot] = 0;
      this.failed[slot] = 0;
    }
    if (passed > 0) this.second = current;
  }
}

export class CircuitBreaker {
  private outcomes: boolean[] = [];
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';
  private readonly window: OutcomeWindow;

  constructor(
    readonly label: UpstreamLabel,
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = () => Date.now(),
    private readonly onStateChange?: (state: BreakerState, label: UpstreamLabel) => void,
  ) {
    this.window = new OutcomeWindow(now);
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.resetTimeoutMs) {
      return 'half-open';
    }
    return this.current;
  }

  health(): UpstreamHealth {
    const { ok, failed } = this.window.totals();
    const calls = ok + failed;
    return { breaker: this.state, calls, successRatio: calls === 0 ? 1 : ok / calls };
  }

  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // A call whose request is already over (its deadline passed while it waited for its turn)
    // never reaches the upstream and tells nothing of it.
    if (signal?.aborted) return call();
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      throw new UpstreamError('UPSTREAM_UNAVAILABLE', this.label.source, {
        upstreamCode: 'CircuitOpen',
        attempts: 0,
        region: this.label.region,
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
      if (signal?.aborted && !deadlinePassed(signal)) {
        // The client went away: nothing is known of the upstream. A probe that ends this way
        // neither closes the circuit nor counts against it; the next call probes again.
        if (probe) this.transition('open');
        throw error;
      }
      const unwell =
        (signal?.aborted ?? false) ||
        (error instanceof UpstreamError && HEALTH_FAILURES.has(error.code));
      this.record(!unwell, probe);
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private record(success: boolean, probe: boolean): void {
    this.window.add(success);
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
    // Only a failure can open the circuit: a success that arrives while the window still holds
    // many failures is the upstream recovering, not a reason to stop calling it.
    if (success || this.outcomes.length < this.options.minimumCalls) return;
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
    this.onStateChange?.(state, this.label);
  }
}

/** A deadline (ours or the request's) ended the call, as opposed to the caller leaving. */
function deadlinePassed(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return reason instanceof DOMException && reason.name === 'TimeoutError';
}

/** The key of an upstream in maps of breakers, health and metrics: `IOT:eu-west-1`, `IMPORT_EXPORT`. */
export function upstreamKey(label: UpstreamLabel): string {
  return label.region ? `${label.source}:${label.region}` : label.source;
}

export interface GuardedUpstreams extends Upstreams {
  /** By upstreamKey. */
  readonly breakers: ReadonlyMap<string, CircuitBreaker>;
}

/** The same upstreams, each call going through its upstream's breaker. */
export function withCircuitBreakers(
  upstreams: Upstreams,
  options: BreakerOptions = DEFAULT_BREAKER,
  onStateChange?: (state: BreakerState, label: UpstreamLabel) => void,
): GuardedUpstreams {
  const breakers = new Map<string, CircuitBreaker>();
  const breakerOf = (label: UpstreamLabel) => {
    const breaker = new CircuitBreaker(label, options, () => Date.now(), onStateChange);
    breakers.set(upstreamKey(label), breaker);
    return breaker;
  };
  const iot = new Map<string, IotUpstream>();
  for (const [region, i] of upstreams.iot) {
    const breaker = breakerOf({ source: 'IOT', region });
    iot.set(region, {
      source: 'IOT',
      region,
      listJobs: (input) => breaker.run(() => i.listJobs(input), input.signal),
      describeJob: (id, o) => breaker.run(() => i.describeJob(id, o), o?.signal),
      describeThingGroup: (name, o) => breaker.run(() => i.describeThingGroup(name, o), o?.signal),
      destroy: () => i.destroy(),
    });
  }
  const x = upstreams.importExport;
  const ieBreaker = breakerOf({ source: 'IMPORT_EXPORT' });
  const importExport: ImportExportUpstream = {
    source: 'IMPORT_EXPORT',
    listJobs: (input) => ieBreaker.run(() => x.listJobs(input), input.signal),
    getStatus: (id, o) => ieBreaker.run(() => x.getStatus(id, o), o?.signal),
    destroy: () => x.destroy(),
  };
  return { iot, importExport, breakers };
}

/** Closes every upstream's pooled sockets. */
export function destroyUpstreams(upstreams: Upstreams): void {
  for (const client of upstreams.iot.values()) client.destroy();
  upstreams.importExport.destroy();
}
