import type { SourceName } from '../upstreams/types.js';
import type { JobRecord } from './types.js';

/**
 * How a job is named in a node id: its GraphQL type and a key that says which source holds it.
 * The key of a job of a regional source is `<region>/<jobId>` (neither a region nor a job id of
 * IoT can hold a slash), of a global one its job id alone. The graph makes ids by this rule and
 * the registry finds the source of an id by it (SourceRegistry.locate).
 */

export const NODE_TYPES = ['IotJob', 'ImportExportJob'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** The GraphQL type of the jobs of each `JobSource`. */
export const NODE_TYPE_OF_SOURCE: Readonly<Record<SourceName, NodeType>> = {
  IOT: 'IotJob',
  IMPORT_EXPORT: 'ImportExportJob',
};

export function nodeTypeOf(job: JobRecord): NodeType {
  return job.kind === 'iot' ? 'IotJob' : 'ImportExportJob';
}

export function sourceOf(job: JobRecord): SourceName {
  return job.kind === 'iot' ? 'IOT' : 'IMPORT_EXPORT';
}

export function regionalKey(region: string, id: string): string {
  return `${region}/${id}`;
}

/** The key of a job's node id. */
export function nodeKeyOf(job: JobRecord): string {
  return job.kind === 'iot' ? regionalKey(job.region, job.jobId) : job.jobId;
}
