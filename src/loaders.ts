import DataLoader from 'dataloader';
import type { GraphContext } from './context.js';
import { toGraphQLError, UpstreamError } from './errors.js';
import type { ByIdRead, FetchCall, JobRecord } from './sources/types.js';

/**
 * Reads by id of a request (DescribeJob, GetStatus, DescribeThingGroup), whoever makes them: a
 * refetch through `node`, `nodes` or `_entities`, or a field of a job. One DataLoader per read and
 * request: it removes duplicate ids, so a refetched job and its `details` cost one call. Neither
 * upstream has a batch form of these reads, so a batch is a bounded fan-out: the request's limiter
 * caps the calls in flight, and each id settles on its own. A failing id becomes an Error in its
 * slot, which nulls only the field that asked for it.
 */

export const MAX_DETAIL_BATCH = 100;

const loaders = new WeakMap<GraphContext, Map<string, DataLoader<string, unknown>>>();

/** One read by id through the request's loader for it. */
export function readById<T>(context: GraphContext, read: ByIdRead<T>, id: string): Promise<T> {
  let ofRequest = loaders.get(context);
  if (!ofRequest) loaders.set(context, (ofRequest = new Map()));
  const name = `${read.operation}:${read.source}:${read.region ?? ''}`;
  let loader = ofRequest.get(name) as DataLoader<string, T> | undefined;
  if (!loader) {
    loader = new DataLoader<string, T>(
      (ids) => {
        context.onBatch?.(read.operation, ids.length);
        return settle(
          shared(context, read, ids, (key, signal) => read.load(context.upstreams, key, signal)),
        );
      },
      { maxBatchSize: MAX_DETAIL_BATCH },
    );
    ofRequest.set(name, loader as DataLoader<string, unknown>);
  }
  return loader.load(id);
}

const fetchCalls = new WeakMap<GraphContext, FetchCall>();

/** What a source's `fetch` is given of the request. */
function fetchCall(context: GraphContext): FetchCall {
  let call = fetchCalls.get(context);
  if (!call) {
    call = {
      get upstreams() {
        return context.upstreams;
      },
      signal: context.signal,
      byId: (read, id) => readById(context, read, id),
    };
    fetchCalls.set(context, call);
  }
  return call;
}

/**
 * The job a node id names (its type and key), fetched by the source that holds it; null when no
 * configured source holds it, or its source has no such job.
 */
export async function fetchNode(
  context: GraphContext,
  typename: string,
  key: string,
): Promise<JobRecord | null> {
  const found = context.sources.locate(typename, key);
  if (!found) return null;
  return found.source.fetch(found.jobId, fetchCall(context));
}

/**
 * Reads through the shared layer (coalesced with other requests', cached when configured). Each
 * read the cache does not answer holds a slot of the request's limiter while it is made, joined,
 * or waited for on another replica.
 */
function shared<T>(
  context: GraphContext,
  read: ByIdRead<T>,
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
