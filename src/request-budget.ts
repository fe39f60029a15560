import { UpstreamError } from './errors.js';
import type { SourceName } from './upstreams/types.js';

/**
 * The counters of a request's upstream-call budget, which every upstream call of the request
 * passes through (see context.ts). How operations are priced against it is budget.ts.
 */

/** The budget of one HTTP request, shared by the operations of a batch. */
export interface RequestBudget {
  readonly max: number;
  /** Calls made so far. */
  readonly used: number;
  /** Sets aside an operation's estimate; false when it does not fit in what is left. */
  reserve(calls: number): boolean;
  /** Counts one call; throws the coded refusal when the budget is used up. */
  take(source: SourceName): void;
}

export function createRequestBudget(max: number): RequestBudget {
  let reserved = 0;
  let used = 0;
  return {
    max,
    get used() {
      return used;
    },
    reserve(calls) {
      if (reserved + calls > max) return false;
      reserved += calls;
      return true;
    },
    take(source) {
      if (used >= max) throw new UpstreamError('UPSTREAM_CALL_BUDGET_EXCEEDED', source);
      used++;
    },
  };
}

/** The calls of one operation: its estimate, and what it has made. */
export interface OperationCalls {
  estimate: number | undefined;
  made: number;
}
