import type { GraphQLError } from 'graphql';
import pLimit, { type LimitFunction } from 'p-limit';
import type { OperationCalls, RequestBudget } from './request-budget.js';
import type { Logger } from './logger.js';
import type { CursorCodec } from './pagination/cursor.js';
import type { SharedReads } from './shared-reads.js';
import type { SourceRegistry } from './sources/registry.js';
import type { JobSourceAdapter, ListRequest, SourceCall, SourcePage } from './sources/types.js';
import {
  logUpstreamCall,
  observeUpstreams,
  type UpstreamCallObserver,
} from './upstreams/instrument.js';
import type { Upstreams } from './upstreams/types.js';

/**
 * Per-request state. A new context is made for every GraphQL request, so nothing here (loaders,
 * the page memo, the concurrency limiter) is ever shared between two clients.
 */
export interface GraphContext extends SourceCall {
  readonly upstreams: Upstreams;
  readonly sources: SourceRegistry;
  readonly cursors: CursorCodec;
  /** Aborted when the request's deadline passes or its client goes away. */
  readonly signal: AbortSignal;
  /**
   * One upstream list call; the same call twice in a request (aliases) is made once. `ordered`:
   * the walk still trusts the source's configured order (else no cached page is served).
   */
  readonly listPage: (
    source: JobSourceAdapter,
    request: ListRequest,
    ordered: boolean,
  ) => Promise<SourcePage>;
  /** A source listed against the order configured for it. */
  readonly onOrderContradiction: ((source: JobSourceAdapter) => void) | undefined;
  /** Bounds the DescribeJob / GetStatus calls this request has in flight. */
  readonly detailLimit: LimitFunction;
  /** Errors of fields that still returned data (a merged page with one source down). */
  readonly deferredErrors: GraphQLError[];
  /** The cost one operation may have (see the complexity options of the schema builder). */
  readonly maxComplexity: number;
  /** The operation was found within `maxComplexity` before it ran. */
  costChecked: boolean;
  readonly requestId: string;
  /** The request's logger: every line carries its request id. */
  readonly log: Logger;
  /** Told the size of every loader batch (metrics). */
  readonly onBatch: ((loader: string, size: number) => void) | undefined;
  /** The upstream calls the request may still make, shared by the operations of a batch. */
  readonly budget: RequestBudget;
  /** This operation's estimated and counted upstream calls. */
  readonly calls: OperationCalls;
  /** Reads coalesced with other requests' and cached (see shared-reads.ts); none: direct. */
  readonly reads: SharedReads | undefined;
}

export interface ContextOptions {
  readonly upstreams: Upstreams;
  readonly sources: SourceRegistry;
  readonly cursors: CursorCodec;
  readonly signal: AbortSignal;
  readonly detailConcurrency: number;
  readonly maxComplexity: number;
  readonly requestId: string;
  /** The gateway's logger; the request's own (with its id) is made of it when first needed. */
  readonly log: Logger;
  /** Also told of every upstream call (metrics). */
  readonly observe?: UpstreamCallObserver | undefined;
  readonly onBatch?: ((loader: string, size: number) => void) | undefined;
  /** Every upstream call of the operation is counted against it. */
  readonly budget: RequestBudget;
  /** Upstream calls get OpenTelemetry spans. @default false */
  readonly traced?: boolean | undefined;
  readonly onOrderContradiction?: ((source: JobSourceAdapter) => void) | undefined;
  /** Reads shared with the other requests of the process (and, through Redis, of replicas). */
  readonly reads?: SharedReads | undefined;
}

export function createContext(options: ContextOptions): GraphContext {
  const { signal, observe, budget, requestId } = options;
  // Plain members: yoga merges the context into its own with Object.assign, which would read a
  // getter at once, so nothing here can be made lazily.
  const log = options.log.child({ requestId });
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
  const context: GraphContext = {
    upstreams,
    sources: options.sources,
    cursors: options.cursors,
    signal,
    listPage: (source, request, ordered) => listOnce(source, request, ordered, context),
    onOrderContradiction: options.onOrderContradiction,
    detailLimit: pLimit(options.detailConcurrency),
    deferredErrors: [],
    maxComplexity: options.maxComplexity,
    costChecked: false,
    requestId,
    log,
    onBatch: options.onBatch,
    budget,
    calls,
    reads: options.reads,
  };
  // The same call twice in one request (aliases) is made once; across requests, `reads` coalesces.
  const pages = new Map<string, Promise<SourcePage>>();
  const listOnce = (
    source: JobSourceAdapter,
    request: ListRequest,
    ordered: boolean,
    call: SourceCall,
  ) => {
    const key = JSON.stringify([source.key, request.token, request.size, request.query, ordered]);
    let page = pages.get(key);
    if (!page) {
      page = options.reads
        ? options.reads.list(source, request, call, ordered)
        : source.list(request, call);
      pages.set(key, page);
    }
    return page;
  };
  return context;
}
