import type { GraphContext } from '../context.js';
import { isNotFound, loadIotDetails, MAX_DETAIL_BATCH, thingGroupLoader } from '../loaders.js';
import { resolveIotJobs } from '../pagination/connections.js';
import {
  IOT_JOB_STATUSES,
  IOT_TARGET_SELECTIONS,
  type IotJobDetailsRecord,
  type IotJobRecord,
} from '../upstreams/types.js';
import { type Builder, connectionComplexity, UPSTREAM_CALL_COMPLEXITY } from './builder.js';
import type { JobRefs } from './job.js';

/**
 * A job as the graph carries it. When it was refetched by id (DescribeJob has no thingGroupId),
 * `thingGroupTarget` names the thing group it targets, whose id is then looked up on demand.
 */
export type IotJobShape = IotJobRecord & { readonly thingGroupTarget?: string | undefined };

const THING_GROUP_ARN = /^arn:[^:]+:iot:[^:]*:[^:]*:thinggroup\/(.+)$/;

/** The job summary that ListJobs would have given, rebuilt from DescribeJob. */
export function summaryFromDetails(details: IotJobDetailsRecord): IotJobShape {
  const groups = details.targets.flatMap((arn) => THING_GROUP_ARN.exec(arn)?.[1] ?? []);
  return {
    kind: 'iot',
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

export function defineIotJob(builder: Builder, { Job }: JobRefs) {
  const IotJobStatus = builder.enumType('IotJobStatus', {
    description: 'Status of an IoT job.',
    values: IOT_JOB_STATUSES,
  });
  const IotTargetSelection = builder.enumType('IotTargetSelection', {
    description:
      'CONTINUOUS jobs also run on things added to a target group later; SNAPSHOT jobs do not.',
    values: IOT_TARGET_SELECTIONS,
  });

  const IotJobFilter = builder.inputType('IotJobFilter', {
    description: 'Filters applied by IoT itself. Members combine with AND.',
    fields: (t) => ({
      status: t.field({ type: IotJobStatus }),
      targetSelection: t.field({ type: IotTargetSelection }),
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

  const loadJob = async (jobId: string, context: GraphContext): Promise<IotJobShape | null> => {
    try {
      return summaryFromDetails(await IotJobDetails.getDataloader(context).load(jobId));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };

  const IotJob = builder.node(builder.objectRef<IotJobShape>('IotJob'), {
    description: 'A job of AWS IoT, from ListJobs.',
    interfaces: [Job],
    isTypeOf: (value) => (value as { kind?: unknown }).kind === 'iot',
    id: { resolve: (job) => job.jobId },
    loadOne: loadJob,
    fields: (t) => ({
      jobArn: t.exposeString('jobArn', { nullable: true }),
      thingGroupId: t.string({
        nullable: true,
        resolve: async (job, _args, context) => {
          if (job.thingGroupId !== null || !job.thingGroupTarget) return job.thingGroupId;
          return (await thingGroupLoader(context).load(job.thingGroupTarget)).thingGroupId;
        },
      }),
      targetSelection: t.field({
        type: IotTargetSelection,
        nullable: true,
        resolve: (job) => job.targetSelection,
      }),
      status: t.field({ type: IotJobStatus, nullable: true, resolve: (job) => job.status }),
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
        resolve: (job) => job.jobId,
      }),
    }),
  });

  const IotJobConnection = builder.connectionObject({ type: IotJob, name: 'IotJobConnection' });

  builder.queryField('iotJobs', (t) =>
    t.field({
      type: IotJobConnection,
      complexity: connectionComplexity,
      nullable: true,
      description:
        'IoT jobs in the upstream order. Null, with a coded error, when IoT cannot be read.',
      args: {
        first: t.arg.int({ description: 'Page size, 1 to 100. Default 20.' }),
        after: t.arg.string({ description: 'The endCursor of the previous page.' }),
        filter: t.arg({ type: IotJobFilter }),
      },
      resolve: (_root, args, context) => resolveIotJobs(context, args),
    }),
  );

  return { IotJob, IotJobDetails, IotJobFilter, loadJob };
}
