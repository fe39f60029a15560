import type { GraphQLError } from 'graphql';
import pLimit, { type LimitFunction } from 'p-limit';
import type { OperationCalls, RequestBudget } from './budget.js';
import type { Logger } from './logger.js';
import type { CursorCodec } from './pagination/cursor.js';
import {
  logUpstreamCall,
  observeUpstreams,
  type UpstreamCallObserver,
} from './upstreams/instrument.js';
import type {
  ImportExportJobPage,
  IotJobFilter,
  IotJobPage,
  Upstreams,
} from './upstreams/types.js';

/**
 * Per-request state. A new context is made for every GraphQL request, so nothing here (loaders,
 * the page memo, the concurrency limiter) is ever shared between two clients.
 */
export interface GraphContext {
  readonly upstreams: Upstreams;
  readonly cursors: CursorCodec;
  /** Aborted when the request's deadline passes or its client goes away. */
  readonly signal: AbortSignal;
  /** Upstream list calls of this request, shared by aliases asking for the same page. */
  readonly pages: PageMemo;
  /** Bounds the DescribeJob / GetStatus calls this request has in flight. */
  readonly detailLimit: LimitFunction;
  /** Errors of fields that still returned data (a merged page with one source down). */
  readonly deferredErrors: GraphQLError[];
  /** The cost one operation may have (see the complexity options of the schema builder). */
  readonly maxComplexity: number;
  readonly requestId: string;
  /** The request's logger: every line carries its request id. */
  readonly log: Logger;
  /** Told the size of every loader batch (metrics). */
  readonly onBatch: ((loader: string, size: number) => void) | undefined;
  /** The upstream calls the request may still make, shared by the operations of a batch. */
  readonly budget: RequestBudget;
  /** This operation's estimated and counted upstream calls. */
  readonly calls: OperationCalls;
}

export interface PageMemo {
  iot(token: string | null, pageSize: number, filter: IotJobFilter): Promise<IotJobPage>;
  importExport(marker: string | null, maxJobs: number): Promise<ImportExportJobPage>;
}

export interface ContextOptions {
  readonly upstreams: Upstreams;
  readonly cursors: CursorCodec;
  readonly signal: AbortSignal;
  readonly detailConcurrency: number;
  readonly maxComplexity: number;
  readonly requestId: string;
  readonly log: Logger;
  /** Also told of every upstream call (metrics). */
  readonly observe?: UpstreamCallObserver | undefined;
  readonly onBatch?: ((loader: string, size: number) => void) | undefined;
  /** Every upstream call of the operation is counted against it. */
  readonly budget: RequestBudget;
  /** Upstream calls get OpenTelemetry spans. @default false */
  readonly traced?: boolean | undefined;
}

export function createContext(options: ContextOptions): GraphContext {
  const { signal, log, observe, budget } = options;
  const logCall = logUpstreamCall(log);
  const calls: OperationCalls = { estimate: undefined, made: 0 };
  // Every upstream call of the operation passes here, whichever resolver, loader or page memo
  // makes it: the one place where the budget is counted.
  const upstreams = observeUpstreams(options.upstreams, {
    admit: (source) => {
      budget.take(source);
      calls.made++;
    },
    observe: observe
      ? (event) => {
          logCall(event);
          observe(event);
        }
      : logCall,
    traced: options.traced ?? false,
  });
  return {
    upstreams,
    cursors: options.cursors,
    signal,
    pages: createPageMemo(upstreams, signal),
    detailLimit: pLimit(options.detailConcurrency),
    deferredErrors: [],
    maxComplexity: options.maxComplexity,
    requestId: options.requestId,
    log,
    onBatch: options.onBatch,
    budget,
    calls,
  };
}

function createPageMemo(upstreams: Upstreams, signal: AbortSignal): PageMemo {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, call: () => Promise<T>): Promise<T> => {
    let pending = memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = call();
      memo.set(key, pending);
    }
    return pending;
  };
  return {
    iot: (token, pageSize, filter) =>
      once(JSON.stringify(['iot', token, pageSize, filter]), () =>
        upstreams.iot.listJobs({ filter, pageToken: token, pageSize, signal }),
      ),
    importExport: (marker, maxJobs) =>
      once(JSON.stringify(['ie', marker, maxJobs]), () =>
        upstreams.importExport.listJobs({ marker, maxJobs, signal }),
      ),
  };
}
