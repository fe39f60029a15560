import type { GraphContext } from '../context.js';
import { isNotFound, loadImportExportStatus, MAX_DETAIL_BATCH } from '../loaders.js';
import { resolveImportExportJobs } from '../pagination/connections.js';
import type {
  ArtifactRecord,
  ImportExportJobRecord,
  ImportExportStatusRecord,
} from '../upstreams/types.js';
import { type Builder, connectionComplexity, UPSTREAM_CALL_COMPLEXITY } from './builder.js';
import type { JobRefs } from './job.js';

/** The ListJobs entry that GetStatus describes; GetStatus reports a cancel as its progress. */
export function summaryFromStatus(status: ImportExportStatusRecord): ImportExportJobRecord {
  return {
    kind: 'importExport',
    jobId: status.jobId,
    jobType: status.jobType,
    createdAt: status.createdAt,
    isCanceled: status.progressCode === 'Canceled',
  };
}

export function defineImportExportJob(builder: Builder, { Job }: JobRefs) {
  const ImportExportJobType = builder.enumType('ImportExportJobType', {
    values: {
      IMPORT: { value: 'Import', description: 'Data is loaded from a device into AWS.' },
      EXPORT: { value: 'Export', description: 'Data is copied from AWS onto a device.' },
    } as const,
  });

  const Artifact = builder.objectRef<ArtifactRecord>('ImportExportArtifact').implement({
    description: 'A document of the job, such as a shipping label.',
    fields: (t) => ({
      description: t.exposeString('description', { nullable: true }),
      url: t.exposeString('url', { nullable: true }),
    }),
  });

  const Status = builder.loadableObjectRef<ImportExportStatusRecord, string>(
    'ImportExportJobStatus',
    { load: loadImportExportStatus, loaderOptions: { maxBatchSize: MAX_DETAIL_BATCH } },
  );
  Status.implement({
    description: 'What GetStatus tells of a job: where its device is and how far it has got.',
    fields: (t) => ({
      locationCode: t.exposeString('locationCode', { nullable: true }),
      locationMessage: t.exposeString('locationMessage', { nullable: true }),
      progressCode: t.exposeString('progressCode', { nullable: true }),
      progressMessage: t.exposeString('progressMessage', { nullable: true }),
      carrier: t.exposeString('carrier', { nullable: true }),
      trackingNumber: t.exposeString('trackingNumber', { nullable: true }),
      logBucket: t.exposeString('logBucket', { nullable: true }),
      logKey: t.exposeString('logKey', { nullable: true }),
      errorCount: t.exposeInt('errorCount', { nullable: true }),
      currentManifest: t.exposeString('currentManifest', { nullable: true }),
      artifacts: t.field({ type: [Artifact], nullable: false, resolve: (s) => s.artifacts }),
    }),
  });

  const loadJob = async (
    jobId: string,
    context: GraphContext,
  ): Promise<ImportExportJobRecord | null> => {
    try {
      return summaryFromStatus(await Status.getDataloader(context).load(jobId));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  };

  const ImportExportJob = builder.node(
    builder.objectRef<ImportExportJobRecord>('ImportExportJob'),
    {
      description: 'A job of AWS Import/Export, from ListJobs.',
      interfaces: [Job],
      isTypeOf: (value) => (value as { kind?: unknown }).kind === 'importExport',
      id: { resolve: (job) => job.jobId },
      loadOne: loadJob,
      fields: (t) => ({
        jobType: t.field({
          type: ImportExportJobType,
          nullable: true,
          resolve: (job) => job.jobType,
        }),
        status: t.field({
          complexity: UPSTREAM_CALL_COMPLEXITY,
          type: Status,
          nullable: true,
          description: 'GetStatus, loaded lazily and batched per request; null if it fails.',
          resolve: (job) => job.jobId,
        }),
      }),
    },
  );

  const ImportExportJobConnection = builder.connectionObject({
    type: ImportExportJob,
    name: 'ImportExportJobConnection',
  });

  builder.queryField('importExportJobs', (t) =>
    t.field({
      type: ImportExportJobConnection,
      complexity: connectionComplexity,
      nullable: true,
      description:
        'Import/Export jobs, newest first. Null, with a coded error, when Import/Export cannot be read.',
      args: {
        first: t.arg.int({ description: 'Page size, 1 to 100. Default 20.' }),
        after: t.arg.string({ description: 'The endCursor of the previous page.' }),
      },
      resolve: (_root, args, context) => resolveImportExportJobs(context, args),
    }),
  );

  return { ImportExportJob, ImportExportJobStatus: Status, loadJob };
}
