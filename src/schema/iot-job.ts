import type { GraphContext } from '../context.js';
import {
  isNotFound,
  loadIotDetails,
  MAX_DETAIL_BATCH,
  regionalKey,
  thingGroupLoader,
} from '../loaders.js';
import { resolveIotJobs } from '../pagination/connections.js';
import {
  IOT_JOB_STATUSES,
  IOT_TARGET_SELECTIONS,
  type IotJobDetailsRecord,
  type IotJobStatus,
  type IotTargetSelection,
} from '../upstreams/types.js';
import { type Builder, connectionComplexity, UPSTREAM_CALL_COMPLEXITY } from './builder.js';
import { deferredReporter, type JobRefs, pageArgs, regionsArg, unavailableFields } from './job.js';
import { type IotJobShape, knownOrUnknown, UNKNOWN } from './shapes.js';

const THING_GROUP_ARN = /^arn:[^:]+:iot:[^:]*:[^:]*:thinggroup\/(.+)$/;
const STATUSES: ReadonlySet<string> = new Set(IOT_JOB_STATUSES);
const TARGET_SELECTIONS: ReadonlySet<string> = new Set(IOT_TARGET_SELECTIONS);

/** The job summary that ListJobs would have given, rebuilt from DescribeJob. */
export function summaryFromDetails(details: IotJobDetailsRecord): IotJobShape {
  const groups = details.targets.flatMap((arn) => THING_GROUP_ARN.exec(arn)?.[1] ?? []);
  return {
    kind: 'iot',
    region: details.region,
    jobId: details.jobId,
    jobArn: details.jobArn,
    thingGroupId: null,
    thingGroupTarget: groups.length === 1 ? groups[0] : undefined,
    targetSelection: details.targetSelection,
    status: details.status,
    createdAt: details.createdAt,
    lastUpdatedAt: details.lastUpdatedAt,
    completedAt: details.completedAt,
    isConcurrent: details.isConcurrent,
  };
}

const UNKNOWN_VALUE = {
  [UNKNOWN]: {
    description:
      'A value this gateway does not know yet (upstreams add values); the raw field beside this one holds it as sent.',
  },
};

export function defineIotJob(builder: Builder, refs: JobRefs) {
  const IotJobStatus = builder.enumType('IotJobStatus', {
    description: 'Status of an IoT job.',
    values: {
      ...Object.fromEntries(IOT_JOB_STATUSES.map((status) => [status, {}])),
      ...UNKNOWN_VALUE,
    } as Record<IotJobStatus | typeof UNKNOWN, { description?: string }>,
  });
  const IotTargetSelection = builder.enumType('IotTargetSelection', {
    description:
      'CONTINUOUS jobs also run on things added to a target group later; SNAPSHOT jobs do not.',
    values: {
      ...Object.fromEntries(IOT_TARGET_SELECTIONS.map((value) => [value, {}])),
      ...UNKNOWN_VALUE,
    } as Record<IotTargetSelection | typeof UNKNOWN, { description?: string }>,
  });

  const IotJobFilter = builder.inputType('IotJobFilter', {
    description: 'Filters applied by IoT itself. Members combine with AND.',
    fields: (t) => ({
      status: t.field({ type: IotJobStatus, description: 'Any status but UNKNOWN.' }),
      targetSelection: t.field({ type: IotTargetSelection, description: 'Not UNKNOWN.' }),
      thingGroupName: t.string({ description: 'Jobs that target this thing group.' }),
      thingGroupId: t.string({ description: 'Jobs that target the thing group with this id.' }),
      namespaceId: t.string({ description: 'Jobs of this customer-managed namespace.' }),
    }),
  });

  const ProcessDetails = builder
    .objectRef<NonNullable<IotJobDetailsRecord['processDetails']>>('IotJobProcessDetails')
    .implement({
      description: 'How far a job has got on its targets.',
      fields: (t) => ({
        processingTargets: t.exposeStringList('processingTargets', { nullable: false }),
        numberOfCanceledThings: t.exposeInt('numberOfCanceledThings', { nullable: true }),
        numberOfSucceededThings: t.exposeInt('numberOfSucceededThings', { nullable: true }),
        numberOfFailedThings: t.exposeInt('numberOfFailedThings', { nullable: true }),
        numberOfRejectedThings: t.exposeInt('numberOfRejectedThings', { nullable: true }),
        numberOfQueuedThings: t.exposeInt('numberOfQueuedThings', { nullable: true }),
        numberOfInProgressThings: t.exposeInt('numberOfInProgressThings', { nullable: true }),
        numberOfRemovedThings: t.exposeInt('numberOfRemovedThings', { nullable: true }),
        numberOfTimedOutThings: t.exposeInt('numberOfTimedOutThings', { nullable: true }),
      }),
    });

  const IotJobDetails = builder.loadableObjectRef<IotJobDetailsRecord, string>('IotJobDetails', {
    load: loadIotDetails,
    loaderOptions: { maxBatchSize: MAX_DETAIL_BATCH },
  });
  IotJobDetails.implement({
    description: 'What DescribeJob adds to a job summary.',
    fields: (t) => ({
      description: t.exposeString('description', { nullable: true }),
      comment: t.exposeString('comment', { nullable: true }),
      targets: t.exposeStringList('targets', { nullable: false }),
      forceCanceled: t.exposeBoolean('forceCanceled', { nullable: true }),
      reasonCode: t.exposeString('reasonCode', { nullable: true }),
      namespaceId: t.exposeString('namespaceId', { nullable: true }),
      jobTemplateArn: t.exposeString('jobTemplateArn', { nullable: true }),
      documentSource: t.exposeString('documentSource', { nullable: true }),
      processDetails: t.field({
        type: ProcessDetails,
        nullable: true,
        resolve: (d) => d.processDetails,
      }),
      createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.createdAt }),
      lastUpdatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.lastUpdatedAt }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.completedAt }),
    }),
  });

  /**
   * A node id's key is `<region>/<jobId>`; ids issued before regions existed hold the job id
   * alone and name a job of the default region.
   */
  const loadJob = async (key: string, context: GraphContext): Promise<IotJobShape | null> => {
    const regional = key.includes('/') ? key : regionalKey(context.sources.defaultRegion, key);
    try {
      return summaryFromDetails(await IotJobDetails.getDataloader(context).load(regional));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };

  const IotJob = builder.node(builder.objectRef<IotJobShape>('IotJob'), {
    description: 'A job of AWS IoT, from ListJobs.',
    interfaces: [refs.Job],
    isTypeOf: (value) => (value as { kind?: unknown }).kind === 'iot',
    id: { resolve: (job) => regionalKey(job.region, job.jobId) },
    loadOne: loadJob,
    fields: (t) => ({
      region: t.exposeString('region', {
        nullable: false,
        description: 'The AWS region whose IoT holds the job.',
      }),
      jobArn: t.exposeString('jobArn', { nullable: true }),
      thingGroupId: t.string({
        nullable: true,
        resolve: async (job, _args, context) => {
          if (job.thingGroupId !== null || !job.thingGroupTarget) return job.thingGroupId;
          const key = regionalKey(job.region, job.thingGroupTarget);
          return (await thingGroupLoader(context).load(key)).thingGroupId;
        },
      }),
      targetSelection: t.field({
        type: IotTargetSelection,
        nullable: true,
        description: 'UNKNOWN for a value this gateway does not know: see rawTargetSelection.',
        resolve: (job) =>
          knownOrUnknown<IotTargetSelection>(job.targetSelection, TARGET_SELECTIONS),
      }),
      rawTargetSelection: t.exposeString('targetSelection', {
        nullable: true,
        description: 'targetSelection as IoT sent it, known to this gateway or not.',
      }),
      status: t.field({
        type: IotJobStatus,
        nullable: true,
        description: 'UNKNOWN for a status this gateway does not know: see rawStatus.',
        resolve: (job) => knownOrUnknown<IotJobStatus>(job.status, STATUSES),
      }),
      rawStatus: t.exposeString('status', {
        nullable: true,
        description: 'The status as IoT sent it, known to this gateway or not.',
      }),
      lastUpdatedAt: t.field({
        type: 'DateTime',
        nullable: true,
        resolve: (job) => job.lastUpdatedAt,
      }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (job) => job.completedAt }),
      isConcurrent: t.exposeBoolean('isConcurrent', { nullable: true }),
      details: t.field({
        complexity: UPSTREAM_CALL_COMPLEXITY,
        type: IotJobDetails,
        nullable: true,
        description: 'DescribeJob, loaded lazily and batched per request; null if it fails.',
        resolve: (job) => regionalKey(job.region, job.jobId),
      }),
    }),
  });

  const IotJobConnection = builder.connectionObject({
    type: IotJob,
    name: 'IotJobConnection',
    fields: (t) => unavailableFields(t, refs),
  });

  builder.queryField('iotJobs', (t) =>
    t.field({
      type: IotJobConnection,
      complexity: connectionComplexity,
      nullable: true,
      description:
        "IoT jobs: one region's in the upstream's order, several regions' merged newest first. Null, with a coded error, when no selected region can be read; with some down, the others answer.",
      args: {
        ...pageArgs(t),
        regions: regionsArg(t),
        filter: t.arg({ type: IotJobFilter }),
      },
      resolve: (_root, args, context, info) =>
        resolveIotJobs(context, args, deferredReporter(context, info)),
    }),
  );

  return { IotJob, IotJobDetails, IotJobFilter, loadJob };
}
