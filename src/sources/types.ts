import type { UpstreamHealth } from '../upstreams/breaker.js';
import type {
  ImportExportJobRecord,
  IotJobFilter,
  IotJobRecord,
  SourceName,
  Upstreams,
} from '../upstreams/types.js';

/**
 * A source of jobs, as the pagination code and the graph see it: something that lists a page from
 * an upstream continuation, says in which order it lists, fetches one job by id, and reports its
 * health. IoT (one per region) and Import/Export are two implementations; pagination, cursors, the
 * merge and `node(id:)` know nothing else about them, so a new kind of source plugs in here alone.
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

/** One upstream operation that reads by id, of one upstream (a region's, for a regional one). */
export interface DetailRead {
  readonly operation: 'DescribeJob' | 'GetStatus' | 'DescribeThingGroup';
  readonly source: SourceName;
  readonly region?: string | undefined;
}

/** A read by id and how to make it with the request's upstream clients. */
export interface ByIdRead<T> extends DetailRead {
  load(upstreams: Upstreams, id: string, signal: AbortSignal): Promise<T>;
}

/** What a source needs of the request to fetch a job by id. */
export interface FetchCall extends SourceCall {
  /**
   * One read by id, shared with everything else in the request that makes the same read (a field
   * of the job refetched, such as `IotJob.details`): batched, made once per distinct id, at most
   * the request's limit of detail calls in flight, coalesced with other requests' reads and
   * cached when configured. A failure rejects with a coded GraphQL error; an id the upstream does
   * not know, with one coded NOT_FOUND.
   */
  byId<T>(read: ByIdRead<T>, id: string): Promise<T>;
}

export interface JobSourceAdapter {
  /**
   * Stable name of the source, written into cursors: `IOT:<region>` or `IMPORT_EXPORT`. Two
   * deployments that share a cursor secret must give the same source the same key.
   */
  readonly key: string;
  /**
   * The GraphQL `JobSource` its jobs carry, which also says their GraphQL type (IOT: `IotJob`,
   * IMPORT_EXPORT: `ImportExportJob`): the schema's set of types is fixed.
   */
  readonly source: SourceName;
  /** The region it lists, for a regional source; its jobs' node ids carry it. */
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
  /**
   * The job with this id (the `jobId` of its records), as `list` shows it; null when the source
   * has no such job. Node ids name a job by its record's type and, for a regional source, its
   * region (see node-key.ts), so the registry finds the source that fetches it.
   */
  fetch(jobId: string, call: FetchCall): Promise<JobRecord | null>;
  /** The upstream's recent health (breaker state and success ratio), for readiness. */
  health(): UpstreamHealth;
}

/** The upstream refused a continuation it had issued: the caller may recover from an anchor. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
}
