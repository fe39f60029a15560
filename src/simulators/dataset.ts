import type { ImportExportJobType, IotJobStatus, IotTargetSelection } from '../upstreams/types.js';

/**
 * Deterministic seeded data for the simulators. The same seed and counts give the same jobs, byte
 * for byte, so tests and benchmarks can compare runs. The data is shaped to hit every corner the
 * gateway has to handle: every IoT status and target selection, several thing groups and
 * namespaces, jobs without `completedAt`, ids with leading zeros, canceled Import/Export jobs.
 */

export interface DatasetOptions {
  /** @default 42 */
  readonly seed?: number;
  /** @default 1000 */
  readonly iotJobs?: number;
  /** @default 300 */
  readonly importExportJobs?: number;
  /** @default 123456789012 */
  readonly accountId?: string;
  /** @default us-east-1 */
  readonly region?: string;
}

export interface SimThingGroup {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly createdAt: Date;
}

export interface SimIotProcessDetails {
  readonly processingTargets: readonly string[];
  readonly numberOfCanceledThings: number;
  readonly numberOfSucceededThings: number;
  readonly numberOfFailedThings: number;
  readonly numberOfRejectedThings: number;
  readonly numberOfQueuedThings: number;
  readonly numberOfInProgressThings: number;
  readonly numberOfRemovedThings: number;
  readonly numberOfTimedOutThings: number;
}

export interface SimIotJob {
  readonly jobId: string;
  readonly jobArn: string;
  /** The thing group the job targets, or null for a job that targets things directly. */
  readonly thingGroup: SimThingGroup | null;
  readonly targets: readonly string[];
  readonly targetSelection: IotTargetSelection;
  readonly status: IotJobStatus;
  readonly createdAt: Date;
  readonly lastUpdatedAt: Date;
  readonly completedAt: Date | null;
  readonly isConcurrent: boolean;
  readonly namespaceId: string | null;
  readonly description: string;
  readonly comment: string | null;
  readonly forceCanceled: boolean | null;
  readonly reasonCode: string | null;
  readonly jobTemplateArn: string | null;
  readonly documentSource: string;
  readonly processDetails: SimIotProcessDetails;
}

export interface SimArtifact {
  readonly description: string;
  readonly url: string;
}

export interface SimImportExportJob {
  readonly jobId: string;
  readonly jobType: ImportExportJobType;
  readonly createdAt: Date;
  readonly isCanceled: boolean;
  readonly locationCode: string;
  readonly locationMessage: string;
  readonly progressCode: string;
  readonly progressMessage: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly logBucket: string;
  readonly logKey: string;
  readonly errorCount: number;
  readonly signature: string;
  readonly signatureFileContents: string;
  readonly currentManifest: string;
  readonly artifacts: readonly SimArtifact[];
}

export interface Dataset {
  /** Newest first (createdAt descending, then jobId). */
  readonly iotJobs: readonly SimIotJob[];
  readonly thingGroups: readonly SimThingGroup[];
  /** Newest first, the order Import/Export documents for ListJobs. */
  readonly importExportJobs: readonly SimImportExportJob[];
}

const IOT_STATUSES: readonly IotJobStatus[] = [
  'IN_PROGRESS',
  'CANCELED',
  'COMPLETED',
  'DELETION_IN_PROGRESS',
  'SCHEDULED',
];
const THING_GROUP_NAMES = [
  'fleet-eu-west',
  'fleet-us-east',
  'gateways',
  'cameras:outdoor',
  'sensors_v2',
  'canary',
];
const NAMESPACES = ['greengrass', 'ops-team'];
const START = Date.UTC(2019, 0, 1);
const END = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;

/** mulberry32: tiny, fast and good enough to spread test data. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function createDataset(options: DatasetOptions = {}): Dataset {
  const seed = options.seed ?? 42;
  const accountId = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

  const thingGroups: SimThingGroup[] = THING_GROUP_NAMES.map((name, i) => ({
    name,
    id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    arn: `arn:aws:iot:${region}:${accountId}:thinggroup/${name}`,
    createdAt: new Date(START - (i + 1) * 24 * HOUR),
  }));

  const iotCount = options.iotJobs ?? 1000;
  const iotJobs: SimIotJob[] = [];
  const usedTimes = new Set<number>();
  const distinctTime = (from: number, to: number, step = 1): number => {
    for (;;) {
      const t = Math.floor((from + random() * (to - from)) / step) * step;
      if (!usedTimes.has(t)) {
        usedTimes.add(t);
        return t;
      }
    }
  };
  for (let i = 0; i < iotCount; i++) {
    // Cycle through statuses and target selections first so that even a small dataset has all.
    const status = i < IOT_STATUSES.length ? (IOT_STATUSES[i] as IotJobStatus) : pick(IOT_STATUSES);
    const targetSelection: IotTargetSelection =
      i % 3 === 0 ? 'CONTINUOUS' : i % 3 === 1 ? 'SNAPSHOT' : pick(['CONTINUOUS', 'SNAPSHOT']);
    const group = i % 7 === 3 ? null : pick(thingGroups);
    const created = distinctTime(START, END);
    const updated = created + Math.floor(random() * 72 * HOUR);
    const done = status === 'COMPLETED' || status === 'CANCELED';
    // Every tenth id has leading zeros, which a careless parser turns into a number.
    const jobId = i % 10 === 4 ? `00${i}` : `job-${String(i).padStart(4, '0')}-${hex(6)}`;
    const things = group
      ? [group.arn]
      : [1, 2].map((n) => `arn:aws:iot:${region}:${accountId}:thing/device-${i}-${n}`);
    const total = 1 + Math.floor(random() * 40);
    const succeeded = done ? Math.floor(total * random()) : 0;
    iotJobs.push({
      jobId,
      jobArn: `arn:aws:iot:${region}:${accountId}:job/${jobId}`,
      thingGroup: group,
      targets: things,
      targetSelection,
      status,
      createdAt: new Date(created),
      lastUpdatedAt: new Date(updated),
      completedAt: done ? new Date(updated) : null,
      isConcurrent: random() < 0.2,
      namespaceId: i % 5 === 2 ? pick(NAMESPACES) : null,
      description: `Firmware rollout ${i}`,
      comment: status === 'CANCELED' ? 'Canceled by operator' : null,
      forceCanceled: status === 'CANCELED' ? random() < 0.5 : null,
      reasonCode: status === 'CANCELED' ? 'OPERATOR_REQUEST' : null,
      jobTemplateArn:
        i % 4 === 0 ? `arn:aws:iot:${region}:${accountId}:jobtemplate/firmware-${i % 3}` : null,
      documentSource: `https://s3.amazonaws.com/job-documents/${jobId}.json`,
      processDetails: {
        processingTargets: status === 'IN_PROGRESS' ? things : [],
        numberOfCanceledThings: status === 'CANCELED' ? total - succeeded : 0,
        numberOfSucceededThings: succeeded,
        numberOfFailedThings: done && status === 'COMPLETED' ? total - succeeded : 0,
        numberOfRejectedThings: 0,
        numberOfQueuedThings: status === 'SCHEDULED' ? total : 0,
        numberOfInProgressThings: status === 'IN_PROGRESS' ? total : 0,
        numberOfRemovedThings: 0,
        numberOfTimedOutThings: 0,
      },
    });
  }
  iotJobs.sort(newestFirst);

  const ieCount = options.importExportJobs ?? 300;
  const importExportJobs: SimImportExportJob[] = [];
  const usedIds = new Set<string>();
  for (let i = 0; i < ieCount; i++) {
    let jobId: string;
    do {
      // Short opaque ids as the service hands out; some are all digits with leading zeros.
      jobId =
        i % 9 === 1
          ? `00${String(i).padStart(3, '0')}`
          : `${pick(['EX', 'IM', 'AB', 'ZK'])}${hex(5).toUpperCase()}`;
    } while (usedIds.has(jobId));
    usedIds.add(jobId);
    const jobType: ImportExportJobType = i % 2 === 0 ? 'Import' : 'Export';
    const isCanceled = i % 6 === 5;
    const created = distinctTime(START, END, 1000); // CreationDate has whole seconds on the wire
    const progress = isCanceled ? 'Canceled' : pick(['Pending', 'InProgress', 'Complete']);
    importExportJobs.push({
      jobId,
      jobType,
      createdAt: new Date(created),
      isCanceled,
      locationCode: progress === 'Pending' ? 'NotReceived' : pick(['AtAWS', 'Returned']),
      locationMessage:
        progress === 'Pending' ? 'The device has not arrived' : 'The device is at AWS',
      progressCode: progress,
      progressMessage: isCanceled ? 'The job was canceled' : `Job is ${progress}`,
      carrier: pick(['UPS', 'FedEx', 'DHL']),
      trackingNumber: `1Z${hex(16).toUpperCase()}`,
      logBucket: 'import-export-logs',
      logKey: `logs/${jobId}.log`,
      errorCount: progress === 'Complete' ? Math.floor(random() * 3) : 0,
      signature: `${hex(27)}=`,
      signatureFileContents: `version:2.0\nsigningMethod:HmacSHA1\njobId:${jobId}\n`,
      currentManifest: `manifestVersion:2.0\nbucket:my-bucket\ndeviceId:${1000 + i}\n`,
      artifacts:
        i % 4 === 0
          ? []
          : [{ description: 'Label', url: `https://example.invalid/labels/${jobId}.pdf` }],
    });
  }
  importExportJobs.sort(newestFirst);

  return { iotJobs, thingGroups, importExportJobs };
}

function newestFirst(a: { createdAt: Date; jobId: string }, b: { createdAt: Date; jobId: string }) {
  const d = b.createdAt.getTime() - a.createdAt.getTime();
  return d !== 0 ? d : a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0;
}
