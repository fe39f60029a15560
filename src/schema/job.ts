import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { type JobConnection, resolveJobs } from '../pagination/connections.js';
import type { ImportExportJobRecord } from '../upstreams/types.js';
import { type Builder, connectionComplexity } from './builder.js';
import type { IotJobShape } from './iot-job.js';

export type JobShape = IotJobShape | ImportExportJobRecord;

export function defineJob(builder: Builder) {
  const JobSource = builder.enumType('JobSource', {
    description: 'The upstream a job comes from.',
    values: {
      IOT: { description: 'AWS IoT (ListJobs, 2015-05-28).' },
      IMPORT_EXPORT: { description: 'AWS Import/Export (ListJobs, 2010-06-01).' },
    } as const,
  });

  const Job = builder.interfaceRef<JobShape>('Job').implement({
    description: 'A job of either upstream.',
    interfaces: [builder.nodeInterfaceRef()],
    resolveType: (job) => (job.kind === 'iot' ? 'IotJob' : 'ImportExportJob'),
    fields: (t) => ({
      id: t.globalID({
        nullable: false,
        description: 'Global id, refetchable through node(id:).',
        resolve: (job) => ({
          type: job.kind === 'iot' ? 'IotJob' : 'ImportExportJob',
          id: job.jobId,
        }),
      }),
      jobId: t.exposeString('jobId', {
        nullable: false,
        description: "The upstream's own id of the job.",
      }),
      source: t.field({
        type: JobSource,
        nullable: false,
        resolve: (job) => (job.kind === 'iot' ? 'IOT' : 'IMPORT_EXPORT'),
      }),
      createdAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'IoT createdAt / Import/Export CreationDate.',
        resolve: (job) => job.createdAt,
      }),
      isCanceled: t.boolean({
        nullable: false,
        description: 'IoT status CANCELED / Import/Export IsCanceled.',
        resolve: (job) => (job.kind === 'iot' ? job.status === 'CANCELED' : job.isCanceled),
      }),
    }),
  });

  return { Job, JobSource };
}

export type JobRefs = ReturnType<typeof defineJob>;

export function defineJobsQuery(
  builder: Builder,
  { Job, JobSource }: JobRefs,
  { IotJobFilter }: { IotJobFilter: ReturnType<Builder['inputType']> },
) {
  const JobConnectionRef = builder.connectionObject({
    type: Job,
    name: 'JobConnection',
    fields: (t) => ({
      unavailableSources: t.field({
        type: [JobSource],
        nullable: false,
        description:
          'Sources that could not be read for this page. Their jobs are not lost: the cursors keep their positions, so later pages read them again.',
        resolve: (connection) => (connection as unknown as JobConnection).unavailableSources,
      }),
    }),
  });

  builder.queryField('jobs', (t) =>
    t.field({
      type: JobConnectionRef,
      complexity: connectionComplexity,
      nullable: false,
      description:
        'Jobs of the selected sources merged newest first. When a source fails, the others still answer.',
      args: {
        first: t.arg.int({ description: 'Page size, 1 to 100. Default 20.' }),
        after: t.arg.string({ description: 'The endCursor of the previous page.' }),
        sources: t.arg({ type: [JobSource], description: 'Default: every source.' }),
        iot: t.arg({ type: IotJobFilter, description: 'Filters for the IoT jobs.' }),
      },
      resolve: (_root, args, context, info) =>
        resolveJobs(context, args, (error) => {
          context.deferredErrors.push(withPath(error, info.path));
        }),
    }),
  );
}

/** The same error, placed at the field that reported it (the errors list needs a path). */
function withPath(error: GraphQLError, path: GraphQLResolveInfo['path']): GraphQLError {
  const keys: (string | number)[] = [];
  for (let p: typeof path | undefined = path; p; p = p.prev) keys.unshift(p.key);
  return new GraphQLError(error.message, { path: keys, extensions: error.extensions });
}
