import { UpstreamError } from '../errors.js';
import {
  type ImportExportJobPage,
  type ImportExportJobRecord,
  IOT_MAX_PAGE_SIZE,
  type IotJobFilter,
  type IotJobPage,
  type IotJobRecord,
  type SourceName,
} from '../upstreams/types.js';
import type { ImportExportPosition, IotPosition } from './cursor.js';

/**
 * Translation of Relay positions into upstream calls, one reader per source. A reader returns up
 * to `count` items, each with the position just after it (which becomes part of that edge's
 * cursor), and whether anything is left after the last one.
 *
 * Both readers ask for one item more than they return, so `hasMore` is known without a second
 * call, and both stop on upstream misbehaviour (a token that repeats, pages that stay empty)
 * instead of looping.
 */

export interface Positioned<T, P> {
  readonly record: T;
  /** Resuming from here continues with the item after this one. */
  readonly after: P;
}

export interface SourceRead<T, P> {
  readonly items: readonly Positioned<T, P>[];
  readonly hasMore: boolean;
}

/** Import/Export's MaxJobs ceiling. */
export const IMPORT_EXPORT_MAX_PAGE_SIZE = 1000;
/** How many upstream calls one read may chain across short or empty pages before giving up. */
export const MAX_CALLS_PER_READ = 8;

export type IotPageFetcher = (
  token: string | null,
  pageSize: number,
  filter: IotJobFilter,
) => Promise<IotJobPage>;

export type ImportExportPageFetcher = (
  marker: string | null,
  maxJobs: number,
) => Promise<ImportExportJobPage>;

/**
 * IoT pages are addressed by `nextToken` only, so an item's position is the token of the page it
 * came from plus how many items of that page precede it. Resuming re-reads that one page (asking
 * for just enough items to cover the skipped ones, the wanted ones and one more) and drops the
 * skipped ones. When an item is the last of a page that has a `nextToken`, its position is that
 * token with nothing to skip, which keeps later reads from re-reading the finished page.
 */
export async function readIot(
  fetchPage: IotPageFetcher,
  filter: IotJobFilter,
  from: IotPosition,
  count: number,
): Promise<SourceRead<IotJobRecord, IotPosition>> {
  if (from === 'done' || count <= 0) return { items: [], hasMore: from !== 'done' };
  const items: Positioned<IotJobRecord, IotPosition>[] = [];
  const seen = new Set<string | null>([from.token]);
  let token = from.token;
  let skip = from.skip;
  for (let calls = 0; calls < MAX_CALLS_PER_READ; calls++) {
    const wanted = count - items.length + 1;
    const page = await fetchPage(token, Math.min(IOT_MAX_PAGE_SIZE, skip + wanted), filter);
    const next = page.nextToken;
    for (let i = skip; i < page.items.length; i++) {
      if (items.length === count) return { items, hasMore: true };
      const last = i === page.items.length - 1;
      const after: IotPosition =
        last && next !== null ? { token: next, skip: 0 } : { token, skip: i + 1 };
      items.push({ record: page.items[i] as IotJobRecord, after });
    }
    // A page shorter than its skipped part (the upstream changed under the cursor) adds nothing
    // above; the read goes on with the next page rather than serve those items again.
    if (next === null || seen.has(next)) {
      markDone(items);
      return { items, hasMore: false };
    }
    seen.add(next);
    token = next;
    skip = 0;
    if (items.length === count) return { items, hasMore: true };
  }
  return giveUp(items, 'IOT');
}

/**
 * Import/Export pages continue after a JobId (`Marker`), so every item is its own position.
 */
export async function readImportExport(
  fetchPage: ImportExportPageFetcher,
  from: ImportExportPosition,
  count: number,
): Promise<SourceRead<ImportExportJobRecord, ImportExportPosition>> {
  if (from === 'done' || count <= 0) return { items: [], hasMore: from !== 'done' };
  const items: Positioned<ImportExportJobRecord, ImportExportPosition>[] = [];
  let marker = from.marker;
  for (let calls = 0; calls < MAX_CALLS_PER_READ; calls++) {
    const wanted = count - items.length + 1;
    const page = await fetchPage(marker, Math.min(IMPORT_EXPORT_MAX_PAGE_SIZE, wanted));
    for (const record of page.items) {
      if (items.length === count) return { items, hasMore: true };
      items.push({ record, after: { marker: record.jobId } });
    }
    const last = page.items.at(-1);
    // A truncated page that does not move past the marker would be asked for forever.
    if (!page.isTruncated || last === undefined || last.jobId === marker) {
      markDone(items);
      return { items, hasMore: false };
    }
    marker = last.jobId;
    if (items.length === count) return { items, hasMore: true };
  }
  return giveUp(items, 'IMPORT_EXPORT');
}

/**
 * A read that used up its calls on short pages: what it has is a page (the next read continues
 * after its last item); with nothing at all there is no position to continue from, and the
 * upstream is failing to make progress.
 */
function giveUp<T, P>(items: Positioned<T, P>[], source: SourceName): SourceRead<T, P> {
  if (items.length > 0) return { items, hasMore: true };
  throw new UpstreamError('UPSTREAM_BAD_RESPONSE', source);
}

/** The last item of an exhausted stream resumes nowhere: no call is needed to learn that again. */
function markDone<T, P>(items: Positioned<T, P | 'done'>[]): void {
  const last = items.at(-1);
  if (last) items[items.length - 1] = { record: last.record, after: 'done' };
}
