import type { CircuitBreaker } from '../upstreams/breaker.js';
import type { ImportExportJobRecord, ImportExportStatusRecord } from '../upstreams/types.js';
import { healthOf, orNull, refusedToken } from './common.js';
import type {
  ByIdRead,
  FetchCall,
  JobSourceAdapter,
  ListRequest,
  SourceCall,
  SourcePage,
} from './types.js';

/** Import/Export's MaxJobs ceiling. */
export const IMPORT_EXPORT_MAX_PAGE_SIZE = 1000;

/**
 * AWS Import/Export ListJobs. Its Marker is the JobId to start after, so every job is its own
 * continuation, and the service documents newest-first order. A job is fetched by id with
 * GetStatus, the read that `ImportExportJob.status` makes too.
 */
export function createImportExportSource(breaker: CircuitBreaker | undefined): JobSourceAdapter {
  return {
    key: 'IMPORT_EXPORT',
    source: 'IMPORT_EXPORT',
    region: null,
    order: 'newest-first',
    maxPageSize: IMPORT_EXPORT_MAX_PAGE_SIZE,
    tokenAfter: (record) => record.jobId,
    async list(request: ListRequest, call: SourceCall): Promise<SourcePage> {
      try {
        const page = await call.upstreams.importExport.listJobs({
          marker: request.token,
          maxJobs: request.size,
          signal: call.signal,
        });
        const last = page.items.at(-1);
        return { items: page.items, next: page.isTruncated && last ? last.jobId : null };
      } catch (error) {
        throw refusedToken(error, request.token);
      }
    },
    async fetch(jobId: string, call: FetchCall) {
      const status = await orNull(call.byId(getStatus, jobId));
      return status && summaryFromStatus(status);
    },
    health: () => healthOf(breaker),
  };
}

/** GetStatus. */
export const getStatus: ByIdRead<ImportExportStatusRecord> = {
  operation: 'GetStatus',
  source: 'IMPORT_EXPORT',
  load: (upstreams, jobId, signal) => upstreams.importExport.getStatus(jobId, { signal }),
};

/** The ListJobs entry that GetStatus describes; GetStatus reports a cancel as its progress. */
function summaryFromStatus(status: ImportExportStatusRecord): ImportExportJobRecord {
  return {
    kind: 'importExport',
    jobId: status.jobId,
    jobType: status.jobType,
    createdAt: status.createdAt,
    isCanceled: status.progressCode === 'Canceled',
  };
}
