/**
 * The changing job set behind a simulated upstream: jobs kept sorted in listing order, so that a
 * page token or marker can say "continue after this key" and be answered with a binary search
 * instead of a scan, whatever was created or deleted since it was issued.
 */

/**
 * A job's place in the listing: ascending `rank`, then ascending `jobId` for equal ranks. For a
 * newest-first listing the rank is minus the creation time; for a listing of unknown order it is
 * a random number drawn once, when the job enters the data.
 */
export interface ListingKey {
  readonly rank: number;
  readonly jobId: string;
}

export function compareKeys(a: ListingKey, b: ListingKey): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  return a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;
}

export function sameKey(a: ListingKey, b: ListingKey): boolean {
  return a.rank === b.rank && a.jobId === b.jobId;
}

/** Newest first by creation time, then by jobId. */
export const newestFirstRank = (job: { readonly createdAt: Date }): number =>
  -job.createdAt.getTime();

/**
 * One job in the listing. An entry is never changed: a changed job gets a new entry, so the wire
 * forms cached on the old one (`wire`, `detail`) can never be served stale.
 */
export interface Entry<J> {
  readonly job: J;
  readonly key: ListingKey;
  /** The job's serialised list item, filled by the server on first use. */
  wire?: string;
  /** The job's serialised single-job answer, filled by the server on first use. */
  detail?: string;
}

interface JobLike {
  readonly jobId: string;
  readonly createdAt: Date;
}

/** Thrown by a live change the data refuses; `kind` picks the wire error a server answers. */
export class LiveChangeError extends Error {
  override readonly name = 'LiveChangeError';

  constructor(
    readonly kind: 'exists' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export class LiveJobs<J extends JobLike> {
  private entries: Entry<J>[] = [];
  private byId = new Map<string, Entry<J>>();
  private newest = Number.NEGATIVE_INFINITY;

  /** @param rankOf called once per job as it enters the data; its answer stays the job's rank. */
  constructor(
    private readonly rankOf: (job: J) => number,
    jobs: readonly J[],
  ) {
    this.replaceAll(jobs);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The latest creation time of any job that entered since the last `replaceAll`. */
  get newestMs(): number {
    return this.newest;
  }

  at(index: number): Entry<J> | undefined {
    return this.entries[index];
  }

  get(jobId: string): Entry<J> | undefined {
    return this.byId.get(jobId);
  }

  /** The index of the first entry strictly after `key` in listing order; 0 without a key. */
  indexAfter(key: ListingKey | undefined): number {
    if (key === undefined) return 0;
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys((this.entries[middle] as Entry<J>).key, key) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  add(job: J): Entry<J> {
    if (this.byId.has(job.jobId)) {
      throw new LiveChangeError('exists', `A job with id ${job.jobId} already exists.`);
    }
    const entry: Entry<J> = { job, key: { rank: this.rankOf(job), jobId: job.jobId } };
    this.entries.splice(this.indexAfter(entry.key), 0, entry);
    this.byId.set(job.jobId, entry);
    this.newest = Math.max(this.newest, job.createdAt.getTime());
    return entry;
  }

  /** Replaces a job by `change(job)`, which keeps its id; its place in the listing stays. */
  update(jobId: string, change: (job: J) => J): J | undefined {
    const old = this.byId.get(jobId);
    if (old === undefined) return undefined;
    const job = change(old.job);
    const entry: Entry<J> = { job, key: old.key };
    this.entries[this.indexAfter(old.key) - 1] = entry;
    this.byId.set(jobId, entry);
    return job;
  }

  remove(jobId: string): Entry<J> | undefined {
    const entry = this.byId.get(jobId);
    if (entry === undefined) return undefined;
    this.entries.splice(this.indexAfter(entry.key) - 1, 1);
    this.byId.delete(jobId);
    return entry;
  }

  /** Swaps the whole set; refuses (and keeps the old set) when two jobs share an id. */
  replaceAll(jobs: readonly J[]): void {
    const byId = new Map<string, Entry<J>>();
    let newest = Number.NEGATIVE_INFINITY;
    for (const job of jobs) {
      if (byId.has(job.jobId)) {
        throw new LiveChangeError('exists', `Two jobs have the id ${job.jobId}.`);
      }
      byId.set(job.jobId, { job, key: { rank: this.rankOf(job), jobId: job.jobId } });
      newest = Math.max(newest, job.createdAt.getTime());
    }
    this.entries = [...byId.values()].sort((a, b) => compareKeys(a.key, b.key));
    this.byId = byId;
    this.newest = newest;
  }

  /** The jobs in listing order (a copy). */
  list(): J[] {
    return this.entries.map((entry) => entry.job);
  }
}

/** Copies the defined members of `partial` over `base`: an explicit `undefined` changes nothing. */
export function withDefined<T extends object>(base: T, partial: Partial<T>): T {
  const result = { ...base };
  for (const [name, value] of Object.entries(partial)) {
    if (value !== undefined) (result as Record<string, unknown>)[name] = value;
  }
  return result;
}
