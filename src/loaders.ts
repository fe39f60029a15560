import DataLoader from 'dataloader';
import type { GraphContext } from './context.js';
import { toGraphQLError, UpstreamError } from './errors.js';
import type {
  ImportExportStatusRecord,
  IotJobDetailsRecord,
  ThingGroupRecord,
} from './upstreams/types.js';

/**
 * Batch functions of the per-request loaders. Neither upstream has a batch form of DescribeJob or
 * GetStatus, so a batch is a bounded fan-out: DataLoader removes duplicate keys, the request's
 * limiter caps the calls in flight, and each key settles on its own. A failing key becomes an
 * Error in its slot, which nulls only the field that asked for it.
 */

export const MAX_DETAIL_BATCH = 100;

/**
 * IoT is regional and job ids are unique only within a region, so IoT loaders are keyed by both:
 * `<region>/<id>` (neither a region nor an IoT id can hold a slash).
 */
export function regionalKey(region: string, id: string): string {
  return `${region}/${id}`;
}

function splitRegionalKey(key: string): { region: string; id: string } {
  const slash = key.indexOf('/');
  return { region: key.slice(0, slash), id: key.slice(slash + 1) };
}

function iotClient(context: GraphContext, region: string) {
  const client = context.upstreams.iot.get(region);
  if (!client) throw new UpstreamError('NOT_FOUND', 'IOT', { region, attempts: 0 });
  return client;
}

export function loadIotDetails(
  keys: readonly string[],
  context: GraphContext,
): Promise<(IotJobDetailsRecord | Error)[]> {
  return fanOut('DescribeJob', keys, context, (key, signal) => {
    const { region, id } = splitRegionalKey(key);
    return iotClient(context, region).describeJob(id, { signal });
  });
}

export function loadImportExportStatus(
  jobIds: readonly string[],
  context: GraphContext,
): Promise<(ImportExportStatusRecord | Error)[]> {
  return fanOut('GetStatus', jobIds, context, (jobId, signal) =>
    context.upstreams.importExport.getStatus(jobId, { signal }),
  );
}

const thingGroupLoaders = new WeakMap<GraphContext, DataLoader<string, ThingGroupRecord>>();

/** Thing groups by regional name, needed only to refetch a job's thingGroupId by id. */
export function thingGroupLoader(context: GraphContext): DataLoader<string, ThingGroupRecord> {
  let loader = thingGroupLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(
      (names) =>
        fanOut('DescribeThingGroup', names, context, (key, signal) => {
          const { region, id } = splitRegionalKey(key);
          return iotClient(context, region).describeThingGroup(id, { signal });
        }),
      { maxBatchSize: MAX_DETAIL_BATCH },
    );
    thingGroupLoaders.set(context, loader);
  }
  return loader;
}

/** One call per key, at most the request's limit at once; results in key order. */
function fanOut<T>(
  loader: string,
  keys: readonly string[],
  context: GraphContext,
  call: (key: string, signal: AbortSignal) => Promise<T>,
): Promise<(T | Error)[]> {
  context.onBatch?.(loader, keys.length);
  return Promise.all(
    keys.map((key) =>
      context.detailLimit(async () => call(key, context.signal)).catch(asFieldError),
    ),
  );
}

function asFieldError(error: unknown): Error {
  if (error instanceof UpstreamError) return toGraphQLError(error);
  return error instanceof Error ? error : new Error('Unexpected error.');
}

/** True when an error produced by a loader means "no such job". */
export function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { extensions?: { code?: unknown } }).extensions?.code === 'NOT_FOUND'
  );
}
