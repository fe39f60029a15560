import type { GraphContext } from '../context.js';
import { fetchNode, readById } from '../loaders.js';
import { resolveIotJobs } from '../pagination/connections.js';
import { describeJob, describeThingGroup } from '../sources/iot.js';
import { nodeKeyOf } from '../sources/node-key.js';
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

const STATUSES: ReadonlySet<string> = new Set(IOT_JOB_STATUSES);
const TARGET_SELECTIONS: ReadonlySet<string> = new Set(IOT_TARGET_SELECTIONS);

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

  const IotJobDetails = builder.objectRef<IotJobDetailsRecord>('IotJobDetails');
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

  /** The IoT job a node id's key names, from whichever source holds it. */
  const loadJob = async (key: string, context: GraphContext): Promise<IotJobShape | null> => {
    const job = await fetchNode(context, 'IotJob', key);
    return job?.kind === 'iot' ? job : null;
  };

  const IotJob = builder.node(builder.objectRef<IotJobShape>('IotJob'), {
    description: 'A job of AWS IoT, from ListJobs.',
    interfaces: [refs.Job],
    isTypeOf: (value) => (value as { kind?: unknown }).kind === 'iot',
    id: { resolve: nodeKeyOf },
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
          const read = describeThingGroup(job.region);
          return (await readById(context, read, job.thingGroupTarget)).thingGroupId;
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
        // IoT's own read, in the job's region: the same one that refetched the job, if one did.
        resolve: (job, _args, context) =>
          context.upstreams.iot.has(job.region)
            ? readById(context, describeJob(job.region), job.jobId)
            : null,
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
