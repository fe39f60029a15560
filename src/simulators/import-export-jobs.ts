import type { ImportExportJobType } from '../upstreams/types.js';
import { createRandom, type Dataset, type SimImportExportJob } from './dataset.js';
import {
  LiveChangeError,
  LiveJobs,
  type ListingKey,
  newestFirstRank,
  withDefined,
} from './live-jobs.js';

/**
 * The Import/Export simulator's job set, newest first as the service documents, and the `live`
 * control tests change it through. Deleted jobs leave a tombstone (their listing key), so that a
 * Marker naming one can still say where to continue.
 */

/** A job as the live simulator holds it: `jobType` may hold any string, defined or not. */
export type LiveImportExportJob = Omit<SimImportExportJob, 'jobType'> & {
  readonly jobType: ImportExportJobType | (string & {});
};

/** What `createJob` takes: any field of a job; each one left out gets a value like the dataset's. */
export type NewImportExportJob = Partial<LiveImportExportJob>;

/**
 * Changes to the simulated Import/Export job list, effective for the next request. Every method
 * is synchronous. Jobs never change in place: what `jobs()` returned earlier stays as it was.
 */
export interface ImportExportLiveControl {
  /**
   * Adds a job and returns it. Without `createdAt` it is the newest job: the current time rounded
   * up to a whole second, or one second after the newest job's when that is later (the wire's
   * CreationDate has whole seconds, so a given `createdAt` is rounded down to one). Without
   * `jobId` it gets a fresh short id like the dataset's (`IM3FA9C`), never one of a deleted job.
   * Other fields default like the dataset's: type Import or Export in turn, progress Pending.
   * @throws LiveChangeError (`kind: 'exists'`) for an id already in use.
   */
  createJob(job?: NewImportExportJob): LiveImportExportJob;
  /**
   * Cancels a job: IsCanceled true, GetStatus ProgressCode `Canceled`. Does not check the job's
   * state (the wire operation does). @returns whether the job existed.
   */
  cancelJob(jobId: string): boolean;
  /**
   * Removes a job from ListJobs and GetStatus (then InvalidJobIdException). Its listing key stays
   * as a tombstone for Markers. @returns whether it existed.
   */
  deleteJob(jobId: string): boolean;
  /** Sets `jobType` to any string, defined by the API or not. @returns whether the job existed. */
  setJobType(jobId: string, jobType: string): boolean;
  /** One job as it is now. */
  job(jobId: string): LiveImportExportJob | undefined;
  /** Every job, newest first (a copy). */
  jobs(): LiveImportExportJob[];
  /**
   * Swaps the whole job set and forgets every tombstone: Markers of jobs not in the new set are
   * unknown from then on. @throws LiveChangeError when two jobs share an id (the old set stays).
   */
  replaceJobs(jobs: readonly LiveImportExportJob[]): void;
  /** Swaps the job set for a dataset's. @default the dataset the simulator started with */
  reset(dataset?: Dataset): void;
}

/** Where a Marker points. */
export type MarkerPlace =
  | { readonly kind: 'job'; readonly key: ListingKey }
  | { readonly kind: 'deleted'; readonly key: ListingKey }
  | { readonly kind: 'unknown' };

const LIVE_SEED = 0x1e1e;
const ID_PREFIXES = ['EX', 'IM', 'AB', 'ZK'];
const SECOND = 1000;

export class ImportExportJobStore implements ImportExportLiveControl {
  readonly listing: LiveJobs<LiveImportExportJob>;
  private readonly tombstones = new Map<string, ListingKey>();
  private readonly random = createRandom(LIVE_SEED);
  private created = 0;

  constructor(
    private readonly dataset: Dataset,
    private readonly now: () => number,
  ) {
    this.listing = new LiveJobs<LiveImportExportJob>(newestFirstRank, dataset.importExportJobs);
  }

  /** Where the listing continues after `marker`. */
  placeOf(marker: string): MarkerPlace {
    const entry = this.listing.get(marker);
    if (entry !== undefined) return { kind: 'job', key: entry.key };
    const key = this.tombstones.get(marker);
    return key === undefined ? { kind: 'unknown' } : { kind: 'deleted', key };
  }

  createJob(input: NewImportExportJob = {}): LiveImportExportJob {
    const n = ++this.created;
    const jobId = input.jobId ?? this.freshId();
    if (jobId === '') throw new LiveChangeError('invalid', 'A job id cannot be empty.');
    if (this.listing.get(jobId)) {
      throw new LiveChangeError('exists', `A job with id ${jobId} already exists.`);
    }
    const createdAt = input.createdAt
      ? new Date(Math.floor(input.createdAt.getTime() / SECOND) * SECOND)
      : new Date(Math.max(Math.ceil(this.now() / SECOND) * SECOND, this.listing.newestMs + SECOND));
    const hex = (length: number) =>
      Array.from({ length }, () => Math.floor(this.random() * 16).toString(16))
        .join('')
        .toUpperCase();
    const job = withDefined<LiveImportExportJob>(
      {
        jobId,
        jobType: n % 2 === 1 ? 'Import' : 'Export',
        createdAt,
        isCanceled: false,
        locationCode: 'NotReceived',
        locationMessage: 'The device has not arrived',
        progressCode: 'Pending',
        progressMessage: 'Job is Pending',
        carrier: 'UPS',
        trackingNumber: `1Z${hex(16)}`,
        logBucket: 'import-export-logs',
        logKey: `logs/${jobId}.log`,
        errorCount: 0,
        signature: `${hex(27).toLowerCase()}=`,
        signatureFileContents: `version:2.0\nsigningMethod:HmacSHA1\njobId:${jobId}\n`,
        currentManifest: 'manifestVersion:2.0\nbucket:my-bucket\n',
        artifacts: [],
      },
      { ...input, createdAt },
    );
    this.listing.add(job);
    this.tombstones.delete(jobId);
    return job;
  }

  cancelJob(jobId: string): boolean {
    const changed = this.listing.update(jobId, (job) => ({
      ...job,
      isCanceled: true,
      progressCode: 'Canceled',
      progressMessage: 'The job was canceled',
    }));
    return changed !== undefined;
  }

  deleteJob(jobId: string): boolean {
    const entry = this.listing.remove(jobId);
    if (entry === undefined) return false;
    this.tombstones.set(jobId, entry.key);
    return true;
  }

  setJobType(jobId: string, jobType: string): boolean {
    return this.listing.update(jobId, (job) => ({ ...job, jobType })) !== undefined;
  }

  job(jobId: string): LiveImportExportJob | undefined {
    return this.listing.get(jobId)?.job;
  }

  jobs(): LiveImportExportJob[] {
    return this.listing.list();
  }

  replaceJobs(jobs: readonly LiveImportExportJob[]): void {
    this.listing.replaceAll(jobs);
    this.tombstones.clear();
  }

  reset(dataset: Dataset = this.dataset): void {
    this.replaceJobs(dataset.importExportJobs);
  }

  private freshId(): string {
    for (;;) {
      const prefix = ID_PREFIXES[Math.floor(this.random() * ID_PREFIXES.length)] as string;
      const digits = Math.floor(this.random() * 0x100000)
        .toString(16)
        .padStart(5, '0')
        .toUpperCase();
      const jobId = `${prefix}${digits}`;
      if (!this.listing.get(jobId) && !this.tombstones.has(jobId)) return jobId;
    }
  }
}
