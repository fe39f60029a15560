import type { CircuitBreaker } from '../upstreams/breaker.js';
import { healthOf, refusedToken } from './common.js';
import type { JobSourceAdapter, ListRequest, SourceCall, SourcePage } from './types.js';

/** Import/Export's MaxJobs ceiling. */
export const IMPORT_EXPORT_MAX_PAGE_SIZE = 1000;

/**
 * AWS Import/Export ListJobs. Its Marker is the JobId to start after, so every job is its own
 * continuation, and the service documents newest-first order.
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
    health: () => healthOf(breaker),
  };
}
