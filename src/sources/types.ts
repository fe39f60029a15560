import type { UpstreamHealth } from '../upstreams/breaker.js';
import type {
  ImportExportJobRecord,
  IotJobFilter,
  IotJobRecord,
  SourceName,
  Upstreams,
} from '../upstreams/types.js';

/**
 * A source of jobs, as the pagination code sees it: something that lists a page from an upstream
 * continuation, says in which order it lists, and reports its health. IoT (one per region) and
 * Import/Export are two implementations; pagination, cursors and the merge know nothing else about
 * them, so a new kind of source plugs in here alone.
 */

/** Any job the graph can show. */
export type JobRecord = IotJobRecord | ImportExportJobRecord;

/**
 * How an upstream orders its listing. `newest-first` (createdAt descending, ties by jobId
 * ascending) lets reads stop at a time window's edge and lets a resume skip past a deleted anchor
 * by its date; `unknown` promises nothing but a stable order.
 */
export type ListOrder = 'newest-first' | 'unknown';

/** What a list call may be narrowed by. A source reads the members that concern it. */
export interface ListQuery {
  /** IoT's own server-side filters. */
  readonly iot: IotJobFilter;
}

export interface ListRequest {
  /** The upstream continuation to read from; null for the list's start. */
  readonly token: string | null;
  /** Items wanted, 1..maxPageSize. */
  readonly size: number;
  readonly query: ListQuery;
}

export interface SourcePage {
  readonly items: readonly JobRecord[];
  /** The continuation after the last item; null when the upstream says the list ends here. */
  readonly next: string | null;
}

/** What a source needs of the request that calls it. */
export interface SourceCall {
  /** The request's upstream clients (instrumented for its logs and metrics). */
  readonly upstreams: Upstreams;
  /** The request's deadline and its client's disconnect. */
  readonly signal: AbortSignal;
}

export interface JobSourceAdapter {
  /**
   * Stable name of the source, written into cursors: `IOT:<region>` or `IMPORT_EXPORT`. Two
   * deployments that share a cursor secret must give the same source the same key.
   */
  readonly key: string;
  /** The GraphQL `JobSource` its jobs carry. */
  readonly source: SourceName;
  readonly region: string | null;
  readonly order: ListOrder;
  /** The largest `size` one list call may ask for. */
  readonly maxPageSize: number;
  /**
   * The continuation that resumes right after `record`, when the upstream can continue after any
   * item (Import/Export's Marker is a JobId). Absent when only whole pages have continuations
   * (IoT's nextToken): a position inside a page is then kept as the page's token plus an anchor.
   */
  tokenAfter?(record: JobRecord): string;
  /**
   * One list call. An upstream that refuses `request.token` (expired, or its job deleted) rejects
   * with TokenRefusedError; every other failure is an UpstreamError.
   */
  list(request: ListRequest, call: SourceCall): Promise<SourcePage>;
  /** The upstream's recent health (breaker state and success ratio), for readiness. */
  health(): UpstreamHealth;
}

/** The upstream refused a continuation it had issued: the caller may recover from an anchor. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
}
