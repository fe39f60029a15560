import type { GraphQLError } from 'graphql';
import type { GraphContext } from '../context.js';
import { badUserInput, toGraphQLError, UpstreamError } from '../errors.js';
import type { JobRecord, JobSourceAdapter, ListQuery } from '../sources/types.js';
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
  type CursorState,
  digestArgs,
  InvalidCursorError,
  type SourceState,
} from './cursor.js';
import { mergeStreams } from './merge.js';
import { type Position, START } from './position.js';
import { type ReadContext, SourceStream, type TimeWindow } from './stream.js';

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

/** A source (and region) that could not be read for a page, and why. */
export interface Unavailable {
  readonly source: SourceName;
  readonly region: string | null;
  readonly code: string;
}

export interface Connection<T> {
  readonly edges: readonly Edge<T>[];
  readonly pageInfo: PageInfo;
  readonly unavailableSources: readonly SourceName[];
  readonly unavailable: readonly Unavailable[];
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly createdAfter?: Date | null | undefined;
  readonly createdBefore?: Date | null | undefined;
}

export interface IotFilterInput {
  readonly status?: IotJobStatus | 'UNKNOWN' | null | undefined;
  readonly targetSelection?: IotTargetSelection | 'UNKNOWN' | null | undefined;
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
  for (const key of ['status', 'targetSelection'] as const) {
    // UNKNOWN names values the gateway cannot name: IoT cannot filter by them either.
    if (input[key] === 'UNKNOWN') {
      throw badUserInput(`"${key}: UNKNOWN" cannot be used as a filter.`, { argumentName: key });
    }
  }
  if (input.status) filter.status = input.status as IotJobStatus;
  if (input.targetSelection) filter.targetSelection = input.targetSelection as IotTargetSelection;
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

function timeWindow(args: PageArgs): TimeWindow {
  const after = args.createdAfter ? args.createdAfter.getTime() : null;
  const before = args.createdBefore ? args.createdBefore.getTime() : null;
  if (after !== null && before !== null && after >= before) {
    throw badUserInput('"createdAfter" must be earlier than "createdBefore".', {
      argumentName: 'createdAfter',
    });
  }
  return { after, before };
}

/** Distinct, sorted, and each one configured. */
function selectedRegions(
  context: GraphContext,
  regions: readonly string[] | null | undefined,
): readonly string[] | undefined {
  if (regions === null || regions === undefined) return undefined;
  if (regions.length === 0) {
    throw badUserInput('"regions" must name at least one region.', { argumentName: 'regions' });
  }
  const configured = context.sources.regions;
  for (const region of regions) {
    if (!configured.includes(region)) {
      throw badUserInput(
        `"${region.slice(0, 32)}" is not a configured region; configured: ${configured.join(', ')}.`,
        { argumentName: 'regions' },
      );
    }
  }
  return [...new Set(regions)].sort();
}

function decodeAfter(
  context: GraphContext,
  after: string | null | undefined,
  field: CursorField,
  digest: string,
): CursorState | undefined {
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

export interface JobsArgs extends PageArgs {
  readonly sources?: readonly SourceName[] | null | undefined;
  readonly regions?: readonly string[] | null | undefined;
  readonly iot?: IotFilterInput | null | undefined;
}

export interface IotJobsArgs extends PageArgs {
  readonly regions?: readonly string[] | null | undefined;
  readonly filter?: IotFilterInput | null | undefined;
}

/** Where a connection's failures go when the field still answers. */
export type ErrorReporter = (error: GraphQLError) => void;

/**
 * The merged connection of every selected source and region, newest first. A source that fails
 * contributes no edges, is named in `unavailable`, and keeps its position in every cursor of the
 * page, so later pages ask it again from where it stood and nothing is lost.
 */
export function resolveJobs(
  context: GraphContext,
  args: JobsArgs,
  reportError: ErrorReporter,
): Promise<Connection<JobRecord>> {
  const count = pageSize(args.first);
  if (args.sources && args.sources.length === 0) {
    throw badUserInput('"sources" must name at least one source.', { argumentName: 'sources' });
  }
  const sources = args.sources ? [...new Set(args.sources)].sort() : undefined;
  const regions = selectedRegions(context, args.regions);
  const filter = normalizeIotFilter(args.iot);
  const window = timeWindow(args);
  const adapters = context.sources.select({ sources, regions });
  const digest = digestArgs({ sources, regions, iot: filter, window });
  return resolveConnection(context, {
    field: 'jobs',
    adapters,
    digest,
    count,
    after: args.after,
    query: { iot: filter },
    window,
  }).then((page) => {
    for (const failure of page.failures) reportError(toGraphQLError(failure));
    return page.connection;
  });
}

/**
 * IoT jobs of the selected regions: one region's in its upstream order, several merged newest
 * first. Null, with the error, when no selected region could be read; with some regions down,
 * the others answer and the failures are reported beside the data.
 */
export function resolveIotJobs(
  context: GraphContext,
  args: IotJobsArgs,
  reportError: ErrorReporter,
): Promise<Connection<IotJobRecord>> {
  const regions = selectedRegions(context, args.regions);
  const filter = normalizeIotFilter(args.filter);
  // IoT sources list IoT jobs.
  return resolveOneKind(context, args, reportError, {
    field: 'iotJobs',
    adapters: context.sources.select({ sources: ['IOT'], regions }),
    bound: { regions, filter },
    query: { iot: filter },
  }) as Promise<Connection<IotJobRecord>>;
}

export function resolveImportExportJobs(
  context: GraphContext,
  args: PageArgs,
  reportError: ErrorReporter,
): Promise<Connection<ImportExportJobRecord>> {
  return resolveOneKind(context, args, reportError, {
    field: 'importExportJobs',
    adapters: context.sources.select({ sources: ['IMPORT_EXPORT'] }),
    bound: {},
    query: { iot: {} },
  }) as Promise<Connection<ImportExportJobRecord>>;
}

/** A connection over the sources of one kind: null, with the error, when none could be read. */
async function resolveOneKind(
  context: GraphContext,
  args: PageArgs,
  reportError: ErrorReporter,
  kind: {
    readonly field: CursorField;
    readonly adapters: readonly JobSourceAdapter[];
    /** The arguments besides the window that shape the list, bound to its cursors. */
    readonly bound: Record<string, unknown>;
    readonly query: ListQuery;
  },
): Promise<Connection<JobRecord>> {
  const count = pageSize(args.first);
  const window = timeWindow(args);
  const page = await resolveConnection(context, {
    field: kind.field,
    adapters: kind.adapters,
    digest: digestArgs({ ...kind.bound, window }),
    count,
    after: args.after,
    query: kind.query,
    window,
  });
  return partialOrThrow(page, reportError);
}

/** A per-source field is null when none of its sources answered; otherwise it answers. */
function partialOrThrow(page: Page, reportError: ErrorReporter): Connection<JobRecord> {
  const [first, ...rest] = page.failures;
  if (first && page.failures.length === page.streams && page.connection.edges.length === 0) {
    for (const failure of rest) reportError(toGraphQLError(failure));
    throw toGraphQLError(first);
  }
  for (const failure of page.failures) reportError(toGraphQLError(failure));
  return page.connection;
}

interface ConnectionRequest {
  readonly field: CursorField;
  readonly adapters: readonly JobSourceAdapter[];
  readonly digest: string;
  readonly count: number;
  readonly after: string | null | undefined;
  readonly query: ListQuery;
  readonly window: TimeWindow;
}

interface Page {
  readonly connection: Connection<JobRecord>;
  readonly failures: readonly UpstreamError[];
  readonly streams: number;
}

/** How much more than its share of the previous page a source is asked for. */
const SHARE_MARGIN = 1.25;

async function resolveConnection(context: GraphContext, request: ConnectionRequest): Promise<Page> {
  const { field, adapters, digest, count } = request;
  const state = decodeAfter(context, request.after, field, digest);
  const readContext: ReadContext = {
    call: context,
    count,
    query: request.query,
    window: request.window,
    list: context.listPage,
    onOrderContradiction: context.onOrderContradiction,
  };
  // A source missing from a cursor (a region configured since it was issued) starts at its top.
  const streams = adapters.map((adapter) => {
    const known = state?.sources.get(adapter.key);
    return new SourceStream(adapter, known?.position ?? START, readContext, known);
  });
  const merged = await mergeStreams(streams, count, firstReadSize(streams, state, count));

  // Positions of sources this instance does not serve (another replica's regions, during a
  // rolling change of IOT_REGIONS) go on unchanged, for the instance that serves them next.
  const carried = [...(state?.sources ?? [])].filter(
    ([key]) => !adapters.some((adapter) => adapter.key === key),
  );
  const encode = (
    positions: readonly Position[],
    taken: readonly number[],
    heads: readonly (number | undefined)[],
  ) => {
    const sources = new Map<string, SourceState>(carried);
    adapters.forEach((adapter, i) => {
      sources.set(adapter.key, {
        position: positions[i] as Position,
        taken: taken[i],
        head: heads[i],
        gap: streams[i]?.gap,
      });
    });
    return signed(() => context.cursors.encode(field, digest, { sources }), adapters, positions);
  };
  const edges = merged.edges.map((e) =>
    edge(e.record, () => encode(e.positions, e.taken, e.heads)),
  );

  const failures: UpstreamError[] = [];
  const unavailable: Unavailable[] = [];
  const unavailableSources: SourceName[] = [];
  for (const stream of streams) {
    const failure = stream.failure;
    if (!failure) continue;
    failures.push(failure);
    unavailable.push({
      source: stream.adapter.source,
      region: stream.adapter.region,
      code: failure.code,
    });
    if (!unavailableSources.includes(stream.adapter.source)) {
      unavailableSources.push(stream.adapter.source);
    }
  }
  // A page that says there is more always says where to continue, also without edges.
  const lastEdge = merged.edges.at(-1)?.record.createdAt;
  const frontier = lastEdge ? lastEdge.getTime() : null;
  const resume = merged.hasMore
    ? () =>
        encode(
          streams.map((s) => s.positionAt(frontier)),
          streams.map((s) => s.taken),
          streams.map((s) => s.nextHead()),
        )
    : undefined;
  return {
    connection: {
      edges,
      pageInfo: pageInfo(edges, merged.hasMore, resume),
      unavailableSources,
      unavailable,
    },
    failures,
    streams: streams.length,
  };
}

/**
 * The first read of each source asks for its share of the previous page (as the cursor records
 * it) with a margin, the whole page for a source alone or without history. A source that runs
 * short is read once more for what the page still lacks.
 */
function firstReadSize(
  streams: readonly SourceStream[],
  state: CursorState | undefined,
  count: number,
): (stream: SourceStream) => number {
  const takenBy = (stream: SourceStream) => state?.sources.get(stream.adapter.key)?.taken ?? 0;
  let total = 0;
  for (const stream of streams) total += takenBy(stream);
  return (stream) => {
    if (streams.length === 1 || total === 0) return count;
    const share = takenBy(stream) / total;
    return Math.min(count, Math.ceil(share * count * SHARE_MARGIN) + 1);
  };
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
      cursor ??= sign();
      return cursor;
    },
  };
}

/**
 * Only upstream tokens can make positions too long for a cursor: that is the upstream's doing,
 * and the source with the longest one is named.
 */
function signed(
  sign: () => string,
  adapters: readonly JobSourceAdapter[],
  positions: readonly Position[],
): string {
  try {
    return sign();
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    let culprit = 0;
    const length = (p: Position | undefined) =>
      typeof p === 'object' ? (p.token?.length ?? 0) : 0;
    positions.forEach((p, i) => {
      if (length(p) > length(positions[culprit])) culprit = i;
    });
    const adapter = adapters[culprit];
    throw toGraphQLError(
      new UpstreamError('UPSTREAM_BAD_RESPONSE', adapter?.source ?? 'IOT', {
        upstreamCode: 'OversizedToken',
        region: adapter?.region ?? undefined,
      }),
    );
  }
}

function pageInfo<T>(
  edges: readonly Edge<T>[],
  hasNextPage: boolean,
  resume: (() => string) | undefined,
): PageInfo {
  let end: string | null | undefined;
  return {
    hasNextPage,
    // Forward-only: the Relay spec lets us answer false when we cannot tell cheaply.
    hasPreviousPage: false,
    get startCursor() {
      return edges[0]?.cursor ?? null;
    },
    get endCursor() {
      end ??= edges.at(-1)?.cursor ?? resume?.() ?? null;
      return end;
    },
  };
}
