/**
 * Domain records and contracts shared by both upstreams. Nothing in here knows about the AWS SDK,
 * XML or GraphQL: clients turn wire shapes into these records, and the graph only ever sees these.
 */

export type SourceName = 'IOT' | 'IMPORT_EXPORT';

export type IotJobStatus =
  'IN_PROGRESS' | 'CANCELED' | 'COMPLETED' | 'DELETION_IN_PROGRESS' | 'SCHEDULED';
export const IOT_JOB_STATUSES: readonly IotJobStatus[] = [
  'IN_PROGRESS',
  'CANCELED',
  'COMPLETED',
  'DELETION_IN_PROGRESS',
  'SCHEDULED',
];

export type IotTargetSelection = 'CONTINUOUS' | 'SNAPSHOT';

/** IoT ListJobs `maxResults` ceiling. */
export const IOT_MAX_PAGE_SIZE = 250;
export const IOT_TARGET_SELECTIONS: readonly IotTargetSelection[] = ['CONTINUOUS', 'SNAPSHOT'];

export type ImportExportJobType = 'Import' | 'Export';
export const IMPORT_EXPORT_JOB_TYPES: readonly ImportExportJobType[] = ['Import', 'Export'];

/**
 * An enum member's text as the upstream sent it when it is none of the values the gateway knows
 * (AWS adds values; compatible servers have their own). Kept, never turned into null.
 */
export type UnknownValue = string & { readonly unknownValue?: never };

/** Told of every enum value an upstream sends that the gateway does not know. */
export type UnknownValueReporter = (field: string, value: string) => void;

/**
 * One entry of IoT ListJobs (a JobSummary). Enum members hold the upstream's own text, also when
 * it is a value this gateway does not know: the graph decides how to show it, nothing is dropped.
 */
export interface IotJobRecord {
  readonly kind: 'iot';
  /** The region whose IoT listed the job; job ids are unique only within a region. */
  readonly region: string;
  readonly jobId: string;
  readonly jobArn: string | null;
  readonly thingGroupId: string | null;
  readonly targetSelection: IotTargetSelection | UnknownValue | null;
  readonly status: IotJobStatus | UnknownValue | null;
  readonly createdAt: Date | null;
  readonly lastUpdatedAt: Date | null;
  readonly completedAt: Date | null;
  readonly isConcurrent: boolean | null;
  /**
   * Set on a job fetched by id (DescribeJob has no thingGroupId): the thing group it targets,
   * whose id is then looked up when asked for.
   */
  readonly thingGroupTarget?: string | undefined;
}

/** Server-side filters of IoT ListJobs; every member is optional and they combine with AND. */
export interface IotJobFilter {
  readonly status?: IotJobStatus | null;
  readonly targetSelection?: IotTargetSelection | null;
  readonly thingGroupName?: string | null;
  readonly thingGroupId?: string | null;
  readonly namespaceId?: string | null;
}

export interface IotJobProcessDetailsRecord {
  readonly processingTargets: readonly string[];
  readonly numberOfCanceledThings: number | null;
  readonly numberOfSucceededThings: number | null;
  readonly numberOfFailedThings: number | null;
  readonly numberOfRejectedThings: number | null;
  readonly numberOfQueuedThings: number | null;
  readonly numberOfInProgressThings: number | null;
  readonly numberOfRemovedThings: number | null;
  readonly numberOfTimedOutThings: number | null;
}

/** IoT DescribeJob. Carries the summary fields too, so that a job can be refetched by id alone. */
export interface IotJobDetailsRecord {
  readonly region: string;
  readonly jobId: string;
  readonly jobArn: string | null;
  readonly status: IotJobStatus | UnknownValue | null;
  readonly targetSelection: IotTargetSelection | UnknownValue | null;
  readonly createdAt: Date | null;
  readonly lastUpdatedAt: Date | null;
  readonly completedAt: Date | null;
  readonly isConcurrent: boolean | null;
  readonly description: string | null;
  readonly comment: string | null;
  /** Target ARNs: things (`...:thing/NAME`) and thing groups (`...:thinggroup/NAME`). */
  readonly targets: readonly string[];
  readonly forceCanceled: boolean | null;
  readonly reasonCode: string | null;
  readonly namespaceId: string | null;
  readonly jobTemplateArn: string | null;
  readonly documentSource: string | null;
  readonly processDetails: IotJobProcessDetailsRecord | null;
}

/** IoT DescribeThingGroup, used to recover a job's thingGroupId when it is refetched by id. */
export interface ThingGroupRecord {
  readonly thingGroupName: string;
  readonly thingGroupId: string | null;
  readonly thingGroupArn: string | null;
}

/** One entry of Import/Export ListJobs. */
export interface ImportExportJobRecord {
  readonly kind: 'importExport';
  /** Always a string, never coerced: "00123" stays "00123". */
  readonly jobId: string;
  readonly jobType: ImportExportJobType | UnknownValue | null;
  readonly createdAt: Date | null;
  readonly isCanceled: boolean;
}

export interface ArtifactRecord {
  readonly description: string | null;
  readonly url: string | null;
}

/** Import/Export GetStatus. */
export interface ImportExportStatusRecord {
  readonly jobId: string;
  readonly jobType: ImportExportJobType | UnknownValue | null;
  readonly locationCode: string | null;
  readonly locationMessage: string | null;
  readonly progressCode: string | null;
  readonly progressMessage: string | null;
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly logBucket: string | null;
  readonly logKey: string | null;
  readonly errorCount: number | null;
  readonly signature: string | null;
  readonly signatureFileContents: string | null;
  readonly currentManifest: string | null;
  readonly createdAt: Date | null;
  readonly artifacts: readonly ArtifactRecord[];
}

export interface CallOptions {
  /** Aborts the call (the GraphQL request's deadline or the client going away). */
  readonly signal?: AbortSignal | undefined;
  /** Called after every attempt of this call, retries included (logs count them). */
  readonly onAttempt?: (() => void) | undefined;
}

export interface IotListJobsInput extends CallOptions {
  readonly filter?: IotJobFilter | undefined;
  /** The upstream nextToken of the page to read; null or absent for the first page. */
  readonly pageToken?: string | null | undefined;
  /** maxResults, 1..250. */
  readonly pageSize: number;
}

export interface IotJobPage {
  readonly items: readonly IotJobRecord[];
  /** null when the upstream says there are no more results. */
  readonly nextToken: string | null;
}

export interface IotUpstream {
  readonly source: 'IOT';
  readonly region: string;
  listJobs(input: IotListJobsInput): Promise<IotJobPage>;
  describeJob(jobId: string, options?: CallOptions): Promise<IotJobDetailsRecord>;
  describeThingGroup(thingGroupName: string, options?: CallOptions): Promise<ThingGroupRecord>;
  /** Closes pooled sockets. */
  destroy(): void;
}

export interface ImportExportListJobsInput extends CallOptions {
  /** The JobId to start after; null or absent for the newest job. */
  readonly marker?: string | null | undefined;
  /** MaxJobs, 1..1000. */
  readonly maxJobs: number;
}

export interface ImportExportJobPage {
  readonly items: readonly ImportExportJobRecord[];
  readonly isTruncated: boolean;
}

export interface ImportExportUpstream {
  readonly source: 'IMPORT_EXPORT';
  listJobs(input: ImportExportListJobsInput): Promise<ImportExportJobPage>;
  getStatus(jobId: string, options?: CallOptions): Promise<ImportExportStatusRecord>;
  destroy(): void;
}

export interface Upstreams {
  /** One IoT client per configured region, in configuration order: the first is the default. */
  readonly iot: ReadonlyMap<string, IotUpstream>;
  readonly importExport: ImportExportUpstream;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

/**
 * Where credentials come from: the standard AWS provider chain in AWS mode, static keys for the
 * simulators. Both clients share one provider, which caches and refreshes what it returns.
 */
export type CredentialsProvider = () => Promise<AwsCredentials>;
