import { createRequestBudget } from '../src/request-budget.js';
import { createContext, type GraphContext } from '../src/context.js';
import { silentLogger } from '../src/logger.js';
import { createCursorCodec } from '../src/pagination/cursor.js';
import type { SharedReads } from '../src/shared-reads.js';
import { createSourceRegistry } from '../src/sources/registry.js';
import type { UpstreamHealth } from '../src/upstreams/breaker.js';
import {
  type JobRecord,
  type JobSourceAdapter,
  type ListOrder,
  type ListRequest,
  type SourcePage,
  TokenRefusedError,
} from '../src/sources/types.js';
import type { IotJobRecord, Upstreams } from '../src/upstreams/types.js';

/**
 * A source held in memory: a third kind of source, written against the adapter interface alone,
 * for tests that prove pagination, cursors and `node(id:)` know nothing of IoT or Import/Export.
 * Its key in cursors is its own (`MEMORY:<region>`), it lists and fetches from memory, and no
 * upstream client knows its region.
 *
 * The schema's set of job types is fixed (IotJob, ImportExportJob), so its jobs show as one of
 * them: IoT-shaped records of its own region, `source: IOT` in the graph, their node ids
 * `IotJob:<region>/<jobId>`, which the registry routes back to this source by its region.
 *
 * Its list is live: jobs are added and removed between pages, and its continuations name the last
 * job of a page (its place in the order), so that a continuation outlives changes around it, as
 * key-based upstream tokens do.
 */
export interface MemoryJob {
  readonly jobId: string;
  /** Epoch milliseconds; null for a job without a date (it lists last). */
  readonly createdAt: number | null;
  /** Place in an `unknown` listing order; ignored for newest-first. */
  readonly rank: number;
}

export interface MemorySourceOptions {
  readonly key?: string;
  readonly region?: string;
  readonly order?: ListOrder;
  /** What the listing really does, when it differs from what `order` claims. */
  readonly actualOrder?: ListOrder;
  readonly maxPageSize?: number;
  /** Answer at most this many jobs a call, with a continuation when more remain. @default none */
  readonly shortPages?: number;
  /** Continuations after any job (the job's id), as Import/Export's Marker. @default false */
  readonly perItem?: boolean;
}

export class MemorySource implements JobSourceAdapter {
  readonly key: string;
  readonly source = 'IOT' as const;
  readonly region: string;
  readonly order: ListOrder;
  readonly maxPageSize: number;
  private readonly actualOrder: ListOrder;
  private readonly shortPages: number;
  private jobs: MemoryJob[] = [];
  /** Keys of removed jobs, so that continuations naming them still resolve (or are refused). */
  private readonly removed = new Map<string, MemoryJob>();
  calls = 0;
  listed = 0;
  /** Refuse continuations whose job has been removed. */
  refuseRemoved = false;
  /** Refuse the next n calls that carry a continuation. */
  refuseNext = 0;
  /** Calls of `fetch`. */
  fetched = 0;

  constructor(options: MemorySourceOptions = {}) {
    this.region = options.region ?? 'mem-1';
    this.key = options.key ?? `MEMORY:${this.region}`;
    this.order = options.order ?? 'newest-first';
    this.actualOrder = options.actualOrder ?? this.order;
    this.maxPageSize = options.maxPageSize ?? 250;
    this.shortPages = options.shortPages ?? 0;
    if (options.perItem) this.tokenAfter = (record) => record.jobId;
  }

  tokenAfter?: (record: JobRecord) => string;

  /** Replaces every job. */
  reset(jobs: readonly MemoryJob[]): void {
    this.jobs = [...jobs].sort((a, b) => this.compare(a, b));
    this.removed.clear();
    this.calls = 0;
    this.listed = 0;
    this.refuseNext = 0;
    this.fetched = 0;
  }

  add(job: MemoryJob): void {
    this.jobs.push(job);
    this.jobs.sort((a, b) => this.compare(a, b));
  }

  remove(jobId: string): boolean {
    const index = this.jobs.findIndex((job) => job.jobId === jobId);
    if (index < 0) return false;
    this.removed.set(jobId, this.jobs[index] as MemoryJob);
    this.jobs.splice(index, 1);
    return true;
  }

  list(request: ListRequest): Promise<SourcePage> {
    this.calls++;
    let start = 0;
    if (request.token !== null) {
      if (this.refuseNext > 0) {
        this.refuseNext--;
        return Promise.reject(new TokenRefusedError('refused'));
      }
      const key =
        this.jobs.find((job) => job.jobId === request.token) ?? this.removed.get(request.token);
      if (!key || (this.refuseRemoved && this.removed.has(request.token))) {
        return Promise.reject(new TokenRefusedError('refused'));
      }
      start = this.jobs.findIndex((job) => this.compare(job, key) > 0);
      if (start < 0) start = this.jobs.length;
    }
    const size = this.shortPages > 0 ? Math.min(request.size, this.shortPages) : request.size;
    const page = this.jobs.slice(start, start + size);
    this.listed += page.length;
    const last = page.at(-1);
    const more = start + size < this.jobs.length;
    return Promise.resolve({
      items: page.map((job) => this.record(job)),
      next: more && last ? last.jobId : null,
    });
  }

  fetch(jobId: string): Promise<JobRecord | null> {
    this.fetched++;
    const job = this.jobs.find((j) => j.jobId === jobId);
    return Promise.resolve(job ? this.record(job) : null);
  }

  health(): UpstreamHealth {
    return { breaker: 'closed', calls: 0, successRatio: 1 };
  }

  current(): readonly MemoryJob[] {
    return this.jobs;
  }

  private compare(a: MemoryJob, b: MemoryJob): number {
    const byId = a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;
    if (this.actualOrder === 'unknown') return a.rank - b.rank || byId;
    const ta = a.createdAt ?? Number.NEGATIVE_INFINITY;
    const tb = b.createdAt ?? Number.NEGATIVE_INFINITY;
    return ta !== tb ? (ta > tb ? -1 : 1) : byId;
  }

  private record(job: MemoryJob): JobRecord {
    return memoryRecord(this.region, job);
  }
}

/** The record a memory source lists for a job: IoT-shaped, in a made-up region. */
export function memoryRecord(region: string, job: MemoryJob): JobRecord {
  const record: IotJobRecord = {
    kind: 'iot',
    region,
    jobId: job.jobId,
    jobArn: null,
    thingGroupId: null,
    targetSelection: 'SNAPSHOT',
    status: 'COMPLETED',
    createdAt: job.createdAt === null ? null : new Date(job.createdAt),
    lastUpdatedAt: null,
    completedAt: null,
    isConcurrent: false,
  };
  return record;
}

/** The key of the memory source that listed a record (memory sources list IoT-shaped records). */
export function memoryKey(record: JobRecord): string {
  return record.kind === 'iot' ? `MEMORY:${record.region}` : 'IMPORT_EXPORT';
}

const NO_UPSTREAMS = { iot: new Map(), importExport: {} } as unknown as Upstreams;
const cursors = createCursorCodec('memory-sources-secret-0123456789');

/** The context of one request over sources in memory: no upstream client, no limit in the way. */
export function memoryContext(
  sources: readonly JobSourceAdapter[],
  reads?: SharedReads,
): GraphContext {
  return createContext({
    upstreams: NO_UPSTREAMS,
    sources: createSourceRegistry(sources),
    cursors,
    signal: new AbortController().signal,
    detailConcurrency: 4,
    maxComplexity: 1_000_000,
    requestId: 'test',
    log: silentLogger(),
    budget: createRequestBudget(Number.MAX_SAFE_INTEGER),
    ...(reads ? { reads } : {}),
  });
}
