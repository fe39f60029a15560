import type { GraphQLError } from 'graphql';
import type { GraphContext } from '../context.js';
import { badUserInput, toGraphQLError, UpstreamError } from '../errors.js';
import type {
  ImportExportJobRecord,
  IotJobFilter,
  IotJobRecord,
  IotJobStatus,
  IotTargetSelection,
  SourceName,
} from '../upstreams/types.js';
import {
  type CursorField,
  type CursorPositions,
  digestArgs,
  type ImportExportPosition,
  InvalidCursorError,
  type IotPosition,
} from './cursor.js';
import { mergeNewestFirst } from './merge.js';
import { type Positioned, readImportExport, readIot, type SourceRead } from './sources.js';

/** The Relay connection shapes the schema serialises. */
export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export interface Connection<T> {
  readonly edges: readonly Edge<T>[];
  readonly pageInfo: PageInfo;
}

export interface JobConnection extends Connection<IotJobRecord | ImportExportJobRecord> {
  readonly unavailableSources: readonly SourceName[];
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

export interface IotFilterInput {
  readonly status?: IotJobStatus | null | undefined;
  readonly targetSelection?: IotTargetSelection | null | undefined;
  readonly thingGroupName?: string | null | undefined;
  readonly thingGroupId?: string | null | undefined;
  readonly namespaceId?: string | null | undefined;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 1 and ${MAX_PAGE_SIZE}.`, {
      argumentName: 'first',
    });
  }
  return first;
}

// IoT's own input constraints, checked here so that a bad value costs no upstream call.
const FILTER_PATTERNS: Record<'thingGroupName' | 'thingGroupId' | 'namespaceId', RegExp> = {
  thingGroupName: /^[a-zA-Z0-9:_-]{1,128}$/,
  thingGroupId: /^[a-zA-Z0-9-]{1,128}$/,
  namespaceId: /^[a-zA-Z0-9_-]{1,64}$/,
};

/** A filter in canonical form: fixed key order, absent members dropped. */
export function normalizeIotFilter(input: IotFilterInput | null | undefined): IotJobFilter {
  const filter: {
    status?: IotJobStatus;
    targetSelection?: IotTargetSelection;
    thingGroupName?: string;
    thingGroupId?: string;
    namespaceId?: string;
  } = {};
  if (!input) return filter;
  if (input.status) filter.status = input.status;
  if (input.targetSelection) filter.targetSelection = input.targetSelection;
  for (const key of ['thingGroupName', 'thingGroupId', 'namespaceId'] as const) {
    const value = input[key];
    if (value === null || value === undefined) continue;
    if (!FILTER_PATTERNS[key].test(value)) {
      throw badUserInput(`Invalid IoT filter value for "${key}".`, { argumentName: key });
    }
    filter[key] = value;
  }
  return filter;
}

function decodeAfter(
  context: GraphContext,
  after: string | null | undefined,
  field: CursorField,
  digest: string,
): CursorPositions | undefined {
  if (after === null || after === undefined) return undefined;
  try {
    return context.cursors.decode(after, field, digest);
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw badUserInput(`Invalid cursor: ${error.message}.`, { argumentName: 'after' });
    }
    throw error;
  }
}

/**
 * An edge whose cursor is signed only if a client selects it. Many clients read only
 * `pageInfo.endCursor`; signing every edge of every page would be most of a page's HMAC work.
 */
function edge<T>(node: T, sign: () => string): Edge<T> {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      cursor ??= signed(sign);
      return cursor;
    },
  };
}

/** Only an IoT token can make a position too long for a cursor; that is the upstream's doing. */
function signed(sign: () => string): string {
  try {
    return sign();
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw toGraphQLError(new UpstreamError('UPSTREAM_BAD_RESPONSE', 'IOT'));
  }
}

const UNFILTERED = digestArgs({});

function pageInfo<T>(edges: readonly Edge<T>[], hasNextPage: boolean): PageInfo {
  return {
    hasNextPage,
    // Forward-only: the Relay spec lets us answer false when we cannot tell cheaply.
    hasPreviousPage: false,
    get startCursor() {
      return edges[0]?.cursor ?? null;
    },
    get endCursor() {
      return edges.at(-1)?.cursor ?? null;
    },
  };
}

export async function resolveIotJobs(
  context: GraphContext,
  args: PageArgs & { readonly filter?: IotFilterInput | null | undefined },
): Promise<Connection<IotJobRecord>> {
  const count = pageSize(args.first);
  const filter = normalizeIotFilter(args.filter);
  const digest = digestArgs({ filter });
  const start = decodeAfter(context, args.after, 'iotJobs', digest)?.iot ?? {
    token: null,
    skip: 0,
  };
  try {
    const read = await readIot(context.pages.iot, filter, start, count);
    const edges = read.items.map((item) =>
      edge(item.record, () => context.cursors.encode('iotJobs', digest, { iot: item.after })),
    );
    return { edges, pageInfo: pageInfo(edges, read.hasMore) };
  } catch (error) {
    throw error instanceof UpstreamError ? toGraphQLError(error) : error;
  }
}

export async function resolveImportExportJobs(
  context: GraphContext,
  args: PageArgs,
): Promise<Connection<ImportExportJobRecord>> {
  const count = pageSize(args.first);
  const digest = UNFILTERED;
  const start = decodeAfter(context, args.after, 'importExportJobs', digest)?.importExport ?? {
    marker: null,
  };
  try {
    const read = await readImportExport(context.pages.importExport, start, count);
    const edges = read.items.map((item) =>
      edge(item.record, () =>
        context.cursors.encode('importExportJobs', digest, { importExport: item.after }),
      ),
    );
    return { edges, pageInfo: pageInfo(edges, read.hasMore) };
  } catch (error) {
    throw error instanceof UpstreamError ? toGraphQLError(error) : error;
  }
}

export const ALL_SOURCES: readonly SourceName[] = ['IOT', 'IMPORT_EXPORT'];

type AnyRecord = IotJobRecord | ImportExportJobRecord;
type AnyPosition = IotPosition | ImportExportPosition;

/**
 * The merged connection. Both sources are read in parallel, one call each for a page, then
 * merged newest first. A source that fails contributes no edges, is named in
 * `unavailableSources`, and keeps its position in every cursor of the page, so the next page
 * asks it again from where it stood and nothing is lost.
 */
export async function resolveJobs(
  context: GraphContext,
  args: PageArgs & {
    readonly sources?: readonly SourceName[] | null | undefined;
    readonly iot?: IotFilterInput | null | undefined;
  },
  reportError: (error: GraphQLError) => void,
): Promise<JobConnection> {
  const count = pageSize(args.first);
  if (args.sources && args.sources.length === 0) {
    throw badUserInput('"sources" must name at least one source.', { argumentName: 'sources' });
  }
  const sources = ALL_SOURCES.filter((s) => !args.sources || args.sources.includes(s));
  const filter = normalizeIotFilter(args.iot);
  const digest = digestArgs({ sources, iot: filter });
  const after = decodeAfter(context, args.after, 'jobs', digest);
  const useIot = sources.includes('IOT');
  const useIe = sources.includes('IMPORT_EXPORT');
  const positions: { iot?: IotPosition; importExport?: ImportExportPosition } = {};
  if (useIot) positions.iot = after?.iot ?? { token: null, skip: 0 };
  if (useIe) positions.importExport = after?.importExport ?? { marker: null };
  if (after && ((useIot && !after.iot) || (useIe && !after.importExport))) {
    throw badUserInput('Invalid cursor: malformed cursor.', { argumentName: 'after' });
  }

  const [iotRead, ieRead] = await Promise.allSettled([
    positions.iot ? readIot(context.pages.iot, filter, positions.iot, count) : undefined,
    positions.importExport
      ? readImportExport(context.pages.importExport, positions.importExport, count)
      : undefined,
  ]);

  const unavailableSources: SourceName[] = [];
  const failed = (result: PromiseSettledResult<unknown>, source: SourceName) => {
    if (result.status === 'fulfilled') return false;
    if (!(result.reason instanceof UpstreamError)) throw result.reason;
    unavailableSources.push(source);
    reportError(toGraphQLError(result.reason));
    return true;
  };
  const iotFailed = failed(iotRead, 'IOT');
  const ieFailed = failed(ieRead, 'IMPORT_EXPORT');

  const streams: { key: SourceName; read: SourceRead<AnyRecord, AnyPosition> }[] = [];
  if (iotRead.status === 'fulfilled' && iotRead.value) {
    streams.push({ key: 'IOT', read: iotRead.value });
  }
  if (ieRead.status === 'fulfilled' && ieRead.value) {
    streams.push({ key: 'IMPORT_EXPORT', read: ieRead.value });
  }
  const merged = mergeNewestFirst(streams, count);

  // Each edge's cursor holds every source's position just after that edge. A source read to its
  // end without a single item is done from the first edge on: later pages need not ask it again.
  const current = { ...positions };
  if (iotRead.status === 'fulfilled' && iotRead.value && isEmpty(iotRead.value)) {
    current.iot = 'done';
  }
  if (ieRead.status === 'fulfilled' && ieRead.value && isEmpty(ieRead.value)) {
    current.importExport = 'done';
  }
  const edges = merged.edges.map((merge) => {
    setPosition(current, merge.source, merge.item);
    const after = { ...current };
    return edge(merge.item.record, () => context.cursors.encode('jobs', digest, after));
  });
  // A source that failed is not known to be exhausted: there may be more once it recovers.
  const failedWithMore =
    (iotFailed && positions.iot !== 'done') || (ieFailed && positions.importExport !== 'done');
  return {
    edges,
    pageInfo: pageInfo(edges, merged.hasMore || failedWithMore),
    unavailableSources,
  };
}

function isEmpty(read: SourceRead<unknown, unknown>): boolean {
  return read.items.length === 0 && !read.hasMore;
}

function setPosition(
  positions: { iot?: IotPosition; importExport?: ImportExportPosition },
  source: SourceName,
  item: Positioned<AnyRecord, AnyPosition>,
): void {
  if (source === 'IOT') positions.iot = item.after as IotPosition;
  else positions.importExport = item.after as ImportExportPosition;
}
