import type {
  DescribeJobResponse,
  DescribeThingGroupResponse,
  JobProcessDetails,
  JobSummary,
  ListJobsResponse,
} from '@aws-sdk/client-iot';
import { UpstreamError } from '../../errors.js';
import {
  IOT_JOB_STATUSES,
  IOT_TARGET_SELECTIONS,
  type IotJobDetailsRecord,
  type IotJobPage,
  type IotJobProcessDetailsRecord,
  type IotJobRecord,
  type IotJobStatus,
  type IotTargetSelection,
  type ThingGroupRecord,
  type UnknownValue,
  type UnknownValueReporter,
} from '../types.js';

/**
 * SDK output to domain records. The only module that knows the SDK's model types: nothing shaped
 * like `JobSummary` leaves the upstream folder. Every wire member is optional, so every field
 * here tolerates absence. An enum value the gateway does not know (moto's `QUEUED`, a status AWS
 * adds later) is kept as sent and reported, so that the graph can show it as unknown rather than
 * lose it.
 */

const STATUSES: ReadonlySet<string> = new Set(IOT_JOB_STATUSES);
const TARGET_SELECTIONS: ReadonlySet<string> = new Set(IOT_TARGET_SELECTIONS);

/** Where a mapper reports enum values it does not know. */
export interface IotMapping {
  readonly region: string;
  readonly onUnknownValue?: UnknownValueReporter | undefined;
}

function enumText(
  value: string | undefined,
  known: ReadonlySet<string>,
  field: string,
  mapping: IotMapping,
): string | null {
  if (typeof value !== 'string') return null;
  if (!known.has(value)) mapping.onUnknownValue?.(field, value);
  return value;
}

function status(
  value: string | undefined,
  mapping: IotMapping,
): IotJobStatus | UnknownValue | null {
  return enumText(value, STATUSES, 'IotJob.status', mapping);
}

function targetSelection(
  value: string | undefined,
  mapping: IotMapping,
): IotTargetSelection | UnknownValue | null {
  return enumText(value, TARGET_SELECTIONS, 'IotJob.targetSelection', mapping);
}

function date(value: Date | undefined): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

function text(value: string | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function bool(value: boolean | undefined): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function int(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A job without an id cannot be shown, refetched or paged past: the answer is unusable. */
function requireJobId(jobId: string | undefined, mapping: IotMapping): string {
  if (typeof jobId !== 'string' || jobId === '') {
    throw new UpstreamError('UPSTREAM_BAD_RESPONSE', 'IOT', {
      upstreamCode: 'MissingJobId',
      region: mapping.region,
    });
  }
  return jobId;
}

export function toIotJobRecord(summary: JobSummary, mapping: IotMapping): IotJobRecord {
  return {
    kind: 'iot',
    region: mapping.region,
    jobId: requireJobId(summary.jobId, mapping),
    jobArn: text(summary.jobArn),
    thingGroupId: text(summary.thingGroupId),
    targetSelection: targetSelection(summary.targetSelection, mapping),
    status: status(summary.status, mapping),
    createdAt: date(summary.createdAt),
    lastUpdatedAt: date(summary.lastUpdatedAt),
    completedAt: date(summary.completedAt),
    isConcurrent: bool(summary.isConcurrent),
  };
}

export function toIotJobPage(output: ListJobsResponse, mapping: IotMapping): IotJobPage {
  const jobs = output.jobs ?? [];
  const items: IotJobRecord[] = new Array(jobs.length);
  for (let i = 0; i < jobs.length; i++) items[i] = toIotJobRecord(jobs[i] as JobSummary, mapping);
  // `null`, a missing key and an empty string all end the listing; an empty token sent back would
  // read the first page again and loop.
  const token = output.nextToken;
  return { items, nextToken: typeof token === 'string' && token !== '' ? token : null };
}

function toProcessDetails(
  details: JobProcessDetails | undefined,
): IotJobProcessDetailsRecord | null {
  if (details === undefined) return null;
  return {
    processingTargets: details.processingTargets ?? [],
    numberOfCanceledThings: int(details.numberOfCanceledThings),
    numberOfSucceededThings: int(details.numberOfSucceededThings),
    numberOfFailedThings: int(details.numberOfFailedThings),
    numberOfRejectedThings: int(details.numberOfRejectedThings),
    numberOfQueuedThings: int(details.numberOfQueuedThings),
    numberOfInProgressThings: int(details.numberOfInProgressThings),
    numberOfRemovedThings: int(details.numberOfRemovedThings),
    numberOfTimedOutThings: int(details.numberOfTimedOutThings),
  };
}

export function toIotJobDetailsRecord(
  output: DescribeJobResponse,
  mapping: IotMapping,
): IotJobDetailsRecord {
  const job = output.job;
  if (job === undefined) {
    throw new UpstreamError('UPSTREAM_BAD_RESPONSE', 'IOT', {
      upstreamCode: 'MissingJob',
      region: mapping.region,
    });
  }
  return {
    region: mapping.region,
    jobId: requireJobId(job.jobId, mapping),
    jobArn: text(job.jobArn),
    status: status(job.status, mapping),
    targetSelection: targetSelection(job.targetSelection, mapping),
    createdAt: date(job.createdAt),
    lastUpdatedAt: date(job.lastUpdatedAt),
    completedAt: date(job.completedAt),
    isConcurrent: bool(job.isConcurrent),
    description: text(job.description),
    comment: text(job.comment),
    targets: job.targets ?? [],
    forceCanceled: bool(job.forceCanceled),
    reasonCode: text(job.reasonCode),
    namespaceId: text(job.namespaceId),
    jobTemplateArn: text(job.jobTemplateArn),
    documentSource: text(output.documentSource),
    processDetails: toProcessDetails(job.jobProcessDetails),
  };
}

/** `requestedName` fills in a missing name: it is the key the caller already holds. */
export function toThingGroupRecord(
  output: DescribeThingGroupResponse,
  requestedName: string,
): ThingGroupRecord {
  return {
    thingGroupName: text(output.thingGroupName) ?? requestedName,
    thingGroupId: text(output.thingGroupId),
    thingGroupArn: text(output.thingGroupArn),
  };
}
