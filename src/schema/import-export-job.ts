import type { GraphContext } from '../context.js';
import { fetchNode, readById } from '../loaders.js';
import { resolveImportExportJobs } from '../pagination/connections.js';
import { getStatus } from '../sources/import-export.js';
import { nodeKeyOf } from '../sources/node-key.js';
import {
  type ArtifactRecord,
  IMPORT_EXPORT_JOB_TYPES,
  type ImportExportJobRecord,
  type ImportExportJobType,
  type ImportExportStatusRecord,
} from '../upstreams/types.js';
import { type Builder, connectionComplexity, UPSTREAM_CALL_COMPLEXITY } from './builder.js';
import { deferredReporter, type JobRefs, pageArgs } from './job.js';
import { knownOrUnknown, UNKNOWN } from './shapes.js';

const JOB_TYPES: ReadonlySet<string> = new Set(IMPORT_EXPORT_JOB_TYPES);

export function defineImportExportJob(builder: Builder, { Job }: JobRefs) {
  const ImportExportJobType = builder.enumType('ImportExportJobType', {
    values: {
      IMPORT: { value: 'Import', description: 'Data is loaded from a device into AWS.' },
      EXPORT: { value: 'Export', description: 'Data is copied from AWS onto a device.' },
      UNKNOWN: {
        value: UNKNOWN,
        description:
          'A job type this gateway does not know yet; rawJobType holds it as Import/Export sent it.',
      },
    } as const,
  });

  const Artifact = builder.objectRef<ArtifactRecord>('ImportExportArtifact').implement({
    description: 'A document of the job, such as a shipping label.',
    fields: (t) => ({
      description: t.exposeString('description', { nullable: true }),
      url: t.exposeString('url', { nullable: true }),
    }),
  });

  const Status = builder.objectRef<ImportExportStatusRecord>('ImportExportJobStatus');
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

  /** The Import/Export job a node id's key names, from whichever source holds it. */
  const loadJob = async (
    key: string,
    context: GraphContext,
  ): Promise<ImportExportJobRecord | null> => {
    const job = await fetchNode(context, 'ImportExportJob', key);
    return job?.kind === 'importExport' ? job : null;
  };

  const ImportExportJob = builder.node(
    builder.objectRef<ImportExportJobRecord>('ImportExportJob'),
    {
      description: 'A job of AWS Import/Export, from ListJobs.',
      interfaces: [Job],
      isTypeOf: (value) => (value as { kind?: unknown }).kind === 'importExport',
      id: { resolve: nodeKeyOf },
      loadOne: loadJob,
      fields: (t) => ({
        jobType: t.field({
          type: ImportExportJobType,
          nullable: true,
          description: 'UNKNOWN for a type this gateway does not know: see rawJobType.',
          resolve: (job) => knownOrUnknown<ImportExportJobType>(job.jobType, JOB_TYPES),
        }),
        rawJobType: t.exposeString('jobType', {
          nullable: true,
          description: 'The job type as Import/Export sent it, known to this gateway or not.',
        }),
        status: t.field({
          complexity: UPSTREAM_CALL_COMPLEXITY,
          type: Status,
          nullable: true,
          description: 'GetStatus, loaded lazily and batched per request; null if it fails.',
          // The same read that refetched the job, if one did.
          resolve: (job, _args, context) => readById(context, getStatus, job.jobId),
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
      args: pageArgs(t),
      resolve: (_root, args, context, info) =>
        resolveImportExportJobs(context, args, deferredReporter(context, info)),
    }),
  );

  return { ImportExportJob, ImportExportJobStatus: Status, loadJob };
}
