import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { GraphContext } from '../context.js';
import {
  type Connection,
  type ErrorReporter,
  resolveJobs,
  type Unavailable,
} from '../pagination/connections.js';
import { nodeKeyOf, nodeTypeOf, sourceOf } from '../sources/node-key.js';
import type { JobRecord } from '../sources/types.js';
import { type Builder, connectionComplexity } from './builder.js';
import type { JobShape } from './shapes.js';

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
    resolveType: (job) => nodeTypeOf(job),
    fields: (t) => ({
      id: t.globalID({
        nullable: false,
        description: 'Global id, refetchable through node(id:).',
        resolve: (job) => ({ type: nodeTypeOf(job), id: nodeKeyOf(job) }),
      }),
      jobId: t.exposeString('jobId', {
        nullable: false,
        description: "The upstream's own id of the job.",
      }),
      source: t.field({
        type: JobSource,
        nullable: false,
        resolve: (job) => sourceOf(job),
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

  const UnavailableSource = builder.objectRef<Unavailable>('UnavailableSource').implement({
    description: 'A source, in a region for a regional one, that could not be read for a page.',
    fields: (t) => ({
      source: t.field({ type: JobSource, nullable: false, resolve: (u) => u.source }),
      region: t.exposeString('region', {
        nullable: true,
        description: 'The IoT region; null for Import/Export, which is global.',
      }),
      code: t.exposeString('code', {
        nullable: false,
        description:
          'The error code, as in the errors list: UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, CURSOR_EXPIRED, ...',
      }),
    }),
  });

  return { Job, JobSource, UnavailableSource };
}

export type JobRefs = ReturnType<typeof defineJob>;

/** Arguments every job connection takes. */
export function pageArgs(t: PothosArgs) {
  return {
    first: t.arg.int({ description: 'Page size, 1 to 100. Default 20.' }),
    after: t.arg.string({ description: 'The endCursor of the previous page.' }),
    createdAfter: t.arg({
      type: 'DateTime',
      description:
        'Only jobs created at or after this instant. Sources that list newest first stop reading here.',
    }),
    createdBefore: t.arg({
      type: 'DateTime',
      description: 'Only jobs created before this instant.',
    }),
  };
}

type PothosArgs = Parameters<Parameters<Builder['queryField']>[1]>[0];

/** Argument of the connections that read IoT. */
export function regionsArg(t: PothosArgs) {
  return t.arg.stringList({
    description: 'IoT regions to read, each one configured. Default: every configured region.',
  });
}

/** `unavailable` and `unavailableSources`, for connections that can answer with a source down. */
export function unavailableFields(
  t: Parameters<NonNullable<Parameters<Builder['connectionObject']>[0]['fields']>>[0],
  { JobSource, UnavailableSource }: JobRefs,
) {
  return {
    unavailableSources: t.field({
      type: [JobSource],
      nullable: false,
      description:
        'Sources that could not be read for this page. Their jobs are not lost: the cursors keep their positions, so later pages read them again; except a source whose code in `unavailable` is CURSOR_EXPIRED, which this walk cannot continue.',
      resolve: (connection) => (connection as unknown as Connection<JobRecord>).unavailableSources,
    }),
    unavailable: t.field({
      type: [UnavailableSource],
      nullable: false,
      description:
        'Each source and region that could not be read for this page, with the error code. CURSOR_EXPIRED means that source cannot be continued: start the walk again to read it.',
      resolve: (connection) => (connection as unknown as Connection<JobRecord>).unavailable,
    }),
  };
}

/** Where a connection reports the errors of a field that still answers. */
export function deferredReporter(context: GraphContext, info: GraphQLResolveInfo): ErrorReporter {
  return (error) => {
    context.deferredErrors.push(withPath(error, info.path));
  };
}

export function defineJobsQuery(
  builder: Builder,
  refs: JobRefs,
  { IotJobFilter }: { IotJobFilter: ReturnType<Builder['inputType']> },
) {
  const { Job, JobSource } = refs;
  const JobConnectionRef = builder.connectionObject({
    type: Job,
    name: 'JobConnection',
    fields: (t) => unavailableFields(t, refs),
  });

  builder.queryField('jobs', (t) =>
    t.field({
      type: JobConnectionRef,
      complexity: connectionComplexity,
      nullable: false,
      description:
        'Jobs of the selected sources merged newest first. When a source fails, the others still answer.',
      args: {
        ...pageArgs(t),
        sources: t.arg({ type: [JobSource], description: 'Default: every source.' }),
        regions: regionsArg(t),
        iot: t.arg({ type: IotJobFilter, description: 'Filters for the IoT jobs.' }),
      },
      resolve: (_root, args, context, info) =>
        resolveJobs(context, args, deferredReporter(context, info)),
    }),
  );
}

/** The same error, placed at the field that reported it (the errors list needs a path). */
function withPath(error: GraphQLError, path: GraphQLResolveInfo['path']): GraphQLError {
  const keys: (string | number)[] = [];
  for (let p: typeof path | undefined = path; p; p = p.prev) keys.unshift(p.key);
  return new GraphQLError(error.message, { path: keys, extensions: error.extensions });
}
