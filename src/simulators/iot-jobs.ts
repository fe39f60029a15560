import type { IotJobStatus, IotTargetSelection } from '../upstreams/types.js';
import { createRandom, type Dataset, type SimIotJob, type SimThingGroup } from './dataset.js';
import { LiveChangeError, LiveJobs, newestFirstRank, withDefined } from './live-jobs.js';

/**
 * The IoT simulator's job set and the `live` control tests change it through: jobs created,
 * canceled, deleted, or given values the API does not define, between two requests.
 */

/**
 * A job as the live simulator holds it: the dataset's shape, except that `status` and
 * `targetSelection` may hold any string, so that a test can serve a value the API does not define
 * (AWS adds enum values; another implementation answers `QUEUED`).
 */
export type LiveIotJob = Omit<SimIotJob, 'status' | 'targetSelection'> & {
  readonly status: IotJobStatus | (string & {});
  readonly targetSelection: IotTargetSelection | (string & {});
};

/** What `createJob` takes: any field of a job; each one left out gets a value like the dataset's. */
export type NewIotJob = Partial<LiveIotJob>;

export interface IotCancelOptions {
  /** @default OPERATOR_REQUEST (as the dataset's canceled jobs) */
  readonly reasonCode?: string;
  /** @default Canceled by operator */
  readonly comment?: string;
  /** Also cancels the things' executions in progress; sets `forceCanceled`. @default false */
  readonly force?: boolean;
}

/**
 * Changes to the simulated IoT job list, effective for the next request. Every method is
 * synchronous. Jobs never change in place: what `jobs()` returned earlier stays as it was.
 */
export interface IotLiveControl {
  /**
   * Adds a job and returns it. Without `createdAt` it is the newest job: its `createdAt` is the
   * current time, or 1 ms after the newest job's when that is later (two calls in the same
   * millisecond still give two distinct, ordered times). Without `jobId` it gets a fresh unique id
   * (`live-0001-3fa9c2`). The other fields default to values like the dataset's: status
   * `IN_PROGRESS`, target selection `SNAPSHOT`, a thing group of the dataset as target, this
   * simulator's region and account in the ARNs.
   * @throws LiveChangeError (`kind: 'exists'`) for an id already in use, (`'invalid'`) for an id
   * the API would refuse.
   */
  createJob(job?: NewIotJob): LiveIotJob;
  /**
   * Cancels a job as CancelJob does: status `CANCELED`, `lastUpdatedAt` and `completedAt` now,
   * `comment`, `reasonCode` and `forceCanceled` set, queued executions counted as canceled. Does
   * not check the job's state (the wire operation does). @returns whether the job existed.
   */
  cancelJob(jobId: string, options?: IotCancelOptions): boolean;
  /** Removes a job from ListJobs and DescribeJob (then 404). @returns whether it existed. */
  deleteJob(jobId: string): boolean;
  /** Sets `status` to any string, defined by the API or not; nothing else changes. @returns whether the job existed. */
  setStatus(jobId: string, status: string): boolean;
  /** Sets `targetSelection` to any string; nothing else changes. @returns whether the job existed. */
  setTargetSelection(jobId: string, targetSelection: string): boolean;
  /** One job as it is now. */
  job(jobId: string): LiveIotJob | undefined;
  /** Every job, in listing order (a copy). */
  jobs(): LiveIotJob[];
  /**
   * Swaps the whole job set; in the `shuffled` order the jobs get ranks drawn afresh from the
   * order's seed, so the same jobs give the same listing each time. Thing groups stay.
   * @throws LiveChangeError when two jobs share an id (the old set then stays).
   */
  replaceJobs(jobs: readonly LiveIotJob[]): void;
  /** Swaps jobs and thing groups for a dataset's. @default the dataset the simulator started with */
  reset(dataset?: Dataset): void;
}

/** How the simulator orders ListJobs. */
export type IotListingOrder = 'newest-first' | 'shuffled';

export const IOT_JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;

const SHUFFLE_SEED = 0x10d0b5;
const LIVE_ID_SEED = 0x11fe;
const TERMINAL: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELED']);

export interface IotJobStoreOptions {
  readonly dataset: Dataset;
  readonly order: IotListingOrder;
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
}

export class IotJobStore implements IotLiveControl {
  readonly listing: LiveJobs<LiveIotJob>;
  private groups: Map<string, SimThingGroup>;
  private groupList: readonly SimThingGroup[];
  private shuffle = createRandom(SHUFFLE_SEED);
  private readonly ids = createRandom(LIVE_ID_SEED);
  private created = 0;

  constructor(private readonly options: IotJobStoreOptions) {
    const rankOf = options.order === 'newest-first' ? newestFirstRank : () => this.shuffle();
    this.listing = new LiveJobs<LiveIotJob>(rankOf, options.dataset.iotJobs);
    this.groupList = options.dataset.thingGroups;
    this.groups = new Map(this.groupList.map((group) => [group.name, group]));
  }

  thingGroup(name: string): SimThingGroup | undefined {
    return this.groups.get(name);
  }

  /** The thing group a list of targets names, if one of them is a known group's ARN. */
  groupOfTargets(targets: readonly string[]): SimThingGroup | null {
    for (const group of this.groupList) if (targets.includes(group.arn)) return group;
    return null;
  }

  createJob(input: NewIotJob = {}): LiveIotJob {
    const { region, accountId } = this.options;
    const n = ++this.created;
    const jobId = input.jobId ?? this.freshId(n);
    if (!IOT_JOB_ID.test(jobId)) {
      throw new LiveChangeError('invalid', `Job id ${JSON.stringify(jobId)} is not valid.`);
    }
    if (this.listing.get(jobId)) {
      throw new LiveChangeError('exists', `A job with id ${jobId} already exists.`);
    }
    const createdAt =
      input.createdAt ?? new Date(Math.max(this.options.now(), this.listing.newestMs + 1));
    const group =
      input.thingGroup !== undefined
        ? input.thingGroup
        : input.targets
          ? this.groupOfTargets(input.targets)
          : (this.groupList[n % Math.max(1, this.groupList.length)] ?? null);
    const targets = input.targets ?? [
      group ? group.arn : `arn:aws:iot:${region}:${accountId}:thing/live-device-${n}`,
    ];
    const status = input.status ?? 'IN_PROGRESS';
    const done = TERMINAL.has(status);
    const job = withDefined<LiveIotJob>(
      {
        jobId,
        jobArn: `arn:aws:iot:${region}:${accountId}:job/${jobId}`,
        thingGroup: group,
        targets,
        targetSelection: 'SNAPSHOT',
        status,
        createdAt,
        lastUpdatedAt: createdAt,
        completedAt: done ? createdAt : null,
        isConcurrent: false,
        namespaceId: null,
        description: `Live rollout ${n}`,
        comment: null,
        forceCanceled: null,
        reasonCode: null,
        jobTemplateArn: null,
        documentSource: `https://s3.amazonaws.com/job-documents/${jobId}.json`,
        processDetails: {
          processingTargets: status === 'IN_PROGRESS' ? targets : [],
          numberOfCanceledThings: 0,
          numberOfSucceededThings: done ? targets.length : 0,
          numberOfFailedThings: 0,
          numberOfRejectedThings: 0,
          numberOfQueuedThings: done ? 0 : targets.length,
          numberOfInProgressThings: 0,
          numberOfRemovedThings: 0,
          numberOfTimedOutThings: 0,
        },
      },
      input,
    );
    this.listing.add(job);
    return job;
  }

  cancelJob(jobId: string, options: IotCancelOptions = {}): boolean {
    const force = options.force ?? false;
    const changed = this.listing.update(jobId, (job) => {
      const at = new Date(Math.max(this.options.now(), job.createdAt.getTime()));
      const p = job.processDetails;
      return {
        ...job,
        status: 'CANCELED',
        lastUpdatedAt: at,
        completedAt: at,
        comment: options.comment ?? 'Canceled by operator',
        reasonCode: options.reasonCode ?? 'OPERATOR_REQUEST',
        forceCanceled: force,
        processDetails: {
          ...p,
          processingTargets: force ? [] : p.processingTargets,
          numberOfCanceledThings:
            p.numberOfCanceledThings +
            p.numberOfQueuedThings +
            (force ? p.numberOfInProgressThings : 0),
          numberOfQueuedThings: 0,
          numberOfInProgressThings: force ? 0 : p.numberOfInProgressThings,
        },
      };
    });
    return changed !== undefined;
  }

  deleteJob(jobId: string): boolean {
    return this.listing.remove(jobId) !== undefined;
  }

  setStatus(jobId: string, status: string): boolean {
    return this.listing.update(jobId, (job) => ({ ...job, status })) !== undefined;
  }

  setTargetSelection(jobId: string, targetSelection: string): boolean {
    return this.listing.update(jobId, (job) => ({ ...job, targetSelection })) !== undefined;
  }

  job(jobId: string): LiveIotJob | undefined {
    return this.listing.get(jobId)?.job;
  }

  jobs(): LiveIotJob[] {
    return this.listing.list();
  }

  replaceJobs(jobs: readonly LiveIotJob[]): void {
    const shuffle = this.shuffle;
    this.shuffle = createRandom(SHUFFLE_SEED);
    try {
      this.listing.replaceAll(jobs);
    } catch (error) {
      this.shuffle = shuffle;
      throw error;
    }
  }

  reset(dataset: Dataset = this.options.dataset): void {
    this.replaceJobs(dataset.iotJobs);
    this.groupList = dataset.thingGroups;
    this.groups = new Map(this.groupList.map((group) => [group.name, group]));
  }

  private freshId(n: number): string {
    for (;;) {
      const hex = Math.floor(this.ids() * 0x1000000)
        .toString(16)
        .padStart(6, '0');
      const jobId = `live-${String(n).padStart(4, '0')}-${hex}`;
      if (!this.listing.get(jobId)) return jobId;
    }
  }
}
