import { createRandom } from './dataset.js';

/**
 * Fault injection and request counting for one simulated upstream. Tests and benchmarks set faults
 * and read counters through this object; the server consults it on every request.
 */

export interface FaultSettings {
  /** Added before every answer. @default 0 */
  readonly latencyMs: number;
  /** Share of requests (0..1) answered with a 5xx. @default 0 */
  readonly errorRate: number;
  /** Share of requests (0..1) answered with the service's throttling error. @default 0 */
  readonly throttleRate: number;
  /** Accept requests and never answer them. @default false */
  readonly hang: boolean;
  /** Share of requests (0..1) answered 200 with a body that does not parse. @default 0 */
  readonly malformedRate: number;
  /** Only these operations (e.g. `DescribeJob`) suffer the faults; none: every operation. */
  readonly operations?: readonly string[] | undefined;
}

export type FaultDecision = 'ok' | 'error' | 'throttle' | 'hang' | 'malformed';

export const NO_FAULTS: FaultSettings = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  throttleRate: 0,
  hang: false,
  malformedRate: 0,
});

export class FaultController {
  private settings: FaultSettings = NO_FAULTS;
  private random: () => number;

  constructor(private readonly seed = 7) {
    this.random = createRandom(seed);
  }

  /** Replaces the given settings; the others keep their values. */
  set(partial: Partial<FaultSettings>): void {
    this.settings = Object.freeze({ ...this.settings, ...partial });
  }

  reset(): void {
    this.settings = NO_FAULTS;
    this.random = createRandom(this.seed);
  }

  get current(): FaultSettings {
    return this.settings;
  }

  /** What to do with the next request. Rates are drawn from a seeded generator: runs repeat. */
  decide(operation?: string): FaultDecision {
    const s = this.settings;
    if (s.operations && (operation === undefined || !s.operations.includes(operation))) {
      return 'ok';
    }
    if (s.hang) return 'hang';
    if (s.throttleRate > 0 && this.random() < s.throttleRate) return 'throttle';
    if (s.errorRate > 0 && this.random() < s.errorRate) return 'error';
    if (s.malformedRate > 0 && this.random() < s.malformedRate) return 'malformed';
    return 'ok';
  }
}

export interface CounterSnapshot {
  /** Every request that reached the simulator, rejected ones included. */
  readonly total: number;
  /** By operation name (`ListJobs`, `DescribeJob`, `GetStatus`, ...). */
  readonly byOperation: Readonly<Record<string, number>>;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** The highest `inFlight` seen since the last reset. */
  readonly maxInFlight: number;
  /** Requests whose client closed the connection before an answer was sent. */
  readonly abandoned: number;
  /** Requests rejected for their signature or credentials. */
  readonly authFailures: number;
  /**
   * Job summaries served by list operations (IoT ListJobs `jobs`, Import/Export ListJobs
   * `member`s), counted as each answer is built: the upstream read cost a client pays for.
   */
  readonly listed: number;
}

export class RequestCounters {
  private total = 0;
  private byOperation: Record<string, number> = {};
  private inFlight = 0;
  private maxInFlight = 0;
  private abandoned = 0;
  private authFailures = 0;
  private listedJobs = 0;

  started(): void {
    this.total++;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  /** Names the operation of a request already counted by `started`. */
  operation(name: string): void {
    this.byOperation[name] = (this.byOperation[name] ?? 0) + 1;
  }

  finished(answered: boolean): void {
    this.inFlight--;
    if (!answered) this.abandoned++;
  }

  authFailed(): void {
    this.authFailures++;
  }

  /** Adds the job summaries one list answer served. */
  listed(count: number): void {
    this.listedJobs += count;
  }

  reset(): void {
    this.total = 0;
    this.byOperation = {};
    this.maxInFlight = this.inFlight;
    this.abandoned = 0;
    this.authFailures = 0;
    this.listedJobs = 0;
  }

  snapshot(): CounterSnapshot {
    return {
      total: this.total,
      byOperation: { ...this.byOperation },
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      abandoned: this.abandoned,
      authFailures: this.authFailures,
      listed: this.listedJobs,
    };
  }
}
