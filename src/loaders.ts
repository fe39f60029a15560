import DataLoader from 'dataloader';
import type { GraphContext } from './context.js';
import { toGraphQLError, UpstreamError } from './errors.js';
import type { DetailRead } from './shared-reads.js';
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
  return fanOutByRegion('DescribeJob', keys, context, (region, id, signal) =>
    iotClient(context, region).describeJob(id, { signal }),
  );
}

export function loadImportExportStatus(
  jobIds: readonly string[],
  context: GraphContext,
): Promise<(ImportExportStatusRecord | Error)[]> {
  context.onBatch?.('GetStatus', jobIds.length);
  return settle(
    shared(context, { operation: 'GetStatus', source: 'IMPORT_EXPORT' }, jobIds, (jobId, signal) =>
      context.upstreams.importExport.getStatus(jobId, { signal }),
    ),
  );
}

const thingGroupLoaders = new WeakMap<GraphContext, DataLoader<string, ThingGroupRecord>>();

/** Thing groups by regional name, needed only to refetch a job's thingGroupId by id. */
export function thingGroupLoader(context: GraphContext): DataLoader<string, ThingGroupRecord> {
  let loader = thingGroupLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(
      (names) =>
        fanOutByRegion('DescribeThingGroup', names, context, (region, name, signal) =>
          iotClient(context, region).describeThingGroup(name, { signal }),
        ),
      { maxBatchSize: MAX_DETAIL_BATCH },
    );
    thingGroupLoaders.set(context, loader);
  }
  return loader;
}

/**
 * One read per regional key, at most the request's limit of upstream calls at once; results in
 * key order. Keys are grouped by region, as reads are shared and cached per upstream.
 */
function fanOutByRegion<T>(
  operation: 'DescribeJob' | 'DescribeThingGroup',
  keys: readonly string[],
  context: GraphContext,
  call: (region: string, id: string, signal: AbortSignal) => Promise<T>,
): Promise<(T | Error)[]> {
  context.onBatch?.(operation, keys.length);
  const byRegion = new Map<string, { index: number; id: string }[]>();
  for (const [index, key] of keys.entries()) {
    const { region, id } = splitRegionalKey(key);
    let group = byRegion.get(region);
    if (!group) byRegion.set(region, (group = []));
    group.push({ index, id });
  }
  const results = new Array<Promise<T>>(keys.length);
  for (const [region, group] of byRegion) {
    const reads = shared(
      context,
      { operation, source: 'IOT', region },
      group.map((g) => g.id),
      (id, signal) => call(region, id, signal),
    );
    for (const [n, { index }] of group.entries()) results[index] = reads[n] as Promise<T>;
  }
  return settle(results);
}

/**
 * Detail reads through the shared layer (coalesced with other requests', cached when configured).
 * Each read the cache does not answer holds a slot of the request's limiter while it is made,
 * joined, or waited for on another replica.
 */
function shared<T>(
  context: GraphContext,
  read: DetailRead,
  ids: readonly string[],
  call: (id: string, signal: AbortSignal) => Promise<T>,
): Promise<T>[] {
  const slot = <R>(run: () => Promise<R>) => context.detailLimit(run);
  if (!context.reads) return ids.map((id) => slot(() => call(id, context.signal)));
  return context.reads.details(read, ids, context.signal, call, slot);
}

/** Each key settles on its own: a failure becomes an Error in its slot. */
function settle<T>(reads: readonly Promise<T>[]): Promise<(T | Error)[]> {
  return Promise.all(reads.map((read) => read.catch(asFieldError)));
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
