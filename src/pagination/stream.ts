import { UpstreamError } from '../errors.js';
import {
  type JobRecord,
  type JobSourceAdapter,
  type ListQuery,
  type ListRequest,
  type SourceCall,
  type SourcePage,
  TokenRefusedError,
} from '../sources/types.js';
import {
  type Anchor,
  anchorOf,
  compareNewestFirst,
  idDigest,
  type OpenPosition,
  type PageMark,
  type Position,
  successorDigests,
} from './position.js';

/**
 * One source's part of one page: reads its upstream from a position, hands out its jobs in the
 * upstream's order, and knows the position after each of them.
 *
 * Resuming inside a page reads that page again, with the size it was read with, and continues
 * after the anchor (the last job consumed). Where the anchor is gone, a source that lists newest
 * first continues after the anchor's date; elsewhere the nearest of its successors, then the count of
 * consumed items, decide. When the upstream refuses a continuation, the stream reads again from
 * the list's start up to the anchor, within a bound, and otherwise reports the position expired.
 */

/** createdAt bounds, epoch milliseconds: createdAfter inclusive, createdBefore exclusive. */
export interface TimeWindow {
  readonly after: number | null;
  readonly before: number | null;
}

export const NO_WINDOW: TimeWindow = Object.freeze({ after: null, before: null });

export interface ReadContext {
  readonly call: SourceCall;
  /** Jobs the page asks for in all. */
  readonly count: number;
  readonly query: ListQuery;
  readonly window: TimeWindow;
  /** One list call; a request memoizes these so that aliases share them. */
  readonly list: (adapter: JobSourceAdapter, request: ListRequest) => Promise<SourcePage>;
  /** A source listed against the order configured for it. */
  readonly onOrderContradiction?: ((adapter: JobSourceAdapter) => void) | undefined;
}

/** Calls one stream may make for one page before it stops (empty pages, skipped windows). */
export const MAX_CALLS_PER_READ = 8;
/** Calls a recovery may spend reading from the list's start towards its anchor. */
export const MAX_RECOVERY_CALLS = 4;

interface Entry {
  readonly record: JobRecord;
  readonly after: Position;
  /** Outside the time window: consumed, never delivered. */
  readonly skipped: boolean;
}

export class SourceStream {
  /** After the last job consumed; what a cursor records for this source. */
  position: Position;
  /** Upstream list calls made for this page. */
  calls = 0;
  /** Jobs delivered from this source on this page. */
  taken = 0;
  /** Why the source could not be read for this page, if it could not. */
  failure: UpstreamError | undefined;

  private buffer: Entry[] = [];
  private head = 0;
  /** Where the next read starts; undefined when nothing is left upstream. */
  private pending: OpenPosition | undefined;
  private ordered: boolean;
  private readonly seen = new Set<string | null>();
  /**
   * The last read ended on jobs newer than the window: the size of the next read, aimed by the
   * page's density of jobs to end just short of the window, so that the walk starts it at a page
   * boundary rather than deep inside a large page.
   */
  private seek: number | undefined;
  /** A read of this page succeeded. */
  private read_ = false;
  /** Jobs newer than this were created during the walk (see OpenPosition.horizon). */
  private readonly horizon: number | undefined;
  /**
   * A resume whose anchor was not found again, in a newest-first source: every job up to the
   * anchor's place in the order was delivered before (or created since) and is passed over, on
   * this page and the next ones, until one comes after it.
   */
  private floor: Anchor | undefined;

  constructor(
    readonly adapter: JobSourceAdapter,
    start: Position,
    private readonly context: ReadContext,
  ) {
    this.position = start;
    this.pending = typeof start === 'object' ? start : undefined;
    this.ordered =
      adapter.order === 'newest-first' && !(typeof start === 'object' && start.unordered);
    this.horizon = typeof start === 'object' ? start.horizon : undefined;
    // An expired position stays reported on every page of the walk, with no call.
    if (start === 'expired') this.failure = expired(adapter);
  }

  /** The next job to deliver, once skipped ones are consumed. */
  peek(): JobRecord | undefined {
    this.consumeSkipped();
    return this.buffer[this.head]?.record;
  }

  take(): JobRecord {
    this.consumeSkipped();
    const entry = this.buffer[this.head++];
    if (!entry) throw new Error('take() without a job');
    this.position = entry.after;
    this.taken++;
    return entry.record;
  }

  /** Nothing buffered, more upstream, and no failure: the merge must read before going on. */
  get needsRead(): boolean {
    return this.peek() === undefined && this.pending !== undefined && !this.failure;
  }

  /** Whether a later page may still get jobs from this source. */
  get hasMore(): boolean {
    return this.peek() !== undefined || this.pending !== undefined;
  }

  get exhaustedCalls(): boolean {
    return this.calls >= MAX_CALLS_PER_READ;
  }

  /**
   * The position a cursor records once the walk has gone down to `frontier` (the createdAt of
   * the edge it is for). A newest-first source read at its start without giving a job keeps the
   * frontier as its horizon: what appears above it later was created since.
   */
  positionAt(frontier: number | null): Position {
    const p = this.position;
    if (
      frontier === null ||
      typeof p !== 'object' ||
      p.token !== null ||
      p.anchor !== undefined ||
      !this.ordered ||
      !this.read_
    ) {
      return p;
    }
    return { ...p, horizon: p.horizon === undefined ? frontier : Math.min(p.horizon, frontier) };
  }

  /** One upstream list call (or a bounded recovery), `size` jobs wanted. */
  async read(size: number): Promise<void> {
    const from = this.pending;
    if (!from || this.failure) return;
    const resume = from.page;
    if (from.floor && this.ordered && from.anchor && from.anchor.at !== null) {
      this.floor = from.anchor;
    }
    const request: ListRequest = {
      token: from.token,
      size: clamp(
        this.seek !== undefined
          ? this.seek
          : resume
            ? resumeSize(resume, this.context.count, this.ordered)
            : size,
        this.adapter,
      ),
      query: this.context.query,
    };
    let page: SourcePage;
    try {
      this.calls++;
      page = await this.context.list(this.adapter, request);
    } catch (error) {
      if (error instanceof TokenRefusedError) return this.recover(from);
      return this.fail(error);
    }
    this.accept(page, request, resume ? this.locate(page.items, from, resume) : 0);
  }

  private fail(error: unknown): void {
    if (!(error instanceof UpstreamError)) throw error;
    this.failure = error;
  }

  /** Where a re-read page continues: just after the anchor, or where it would have stood. */
  private locate(items: readonly JobRecord[], from: OpenPosition, page: PageMark): number {
    const anchor = from.anchor;
    if (anchor) {
      const index = items.findIndex((item) => item.jobId === anchor.id);
      if (index >= 0) return index + 1;
      if (this.ordered && anchor.at !== null) {
        this.floor = anchor;
        return 0;
      }
    }
    const successors = successorDigests(page);
    if (successors.length > 0) {
      const digests = items.map((item) => idDigest(item.jobId));
      for (const successor of successors) {
        const index = digests.indexOf(successor);
        if (index >= 0) return index;
      }
    }
    return Math.min(page.skip, items.length);
  }

  /**
   * The upstream refused the continuation. Read the list again from its start, up to the anchor:
   * by date where the source lists newest first, by id elsewhere.
   */
  private async recover(from: OpenPosition): Promise<void> {
    // Within a page the stream has read on, the last job it buffered is the newer anchor.
    const anchor =
      (typeof this.position === 'object' ? this.position.anchor : undefined) ?? from.anchor;
    let token: string | null = null;
    for (let n = 0; anchor && n < MAX_RECOVERY_CALLS; n++) {
      const request: ListRequest = {
        token,
        size: this.adapter.maxPageSize,
        query: this.context.query,
      };
      let page: SourcePage;
      try {
        this.calls++;
        page = await this.context.list(this.adapter, request);
      } catch (error) {
        if (error instanceof TokenRefusedError) break;
        return this.fail(error);
      }
      const index = page.items.findIndex((item) => item.jobId === anchor.id);
      const start =
        index >= 0
          ? index + 1
          : this.ordered && anchor.at !== null
            ? firstAfter(page.items, anchor)
            : undefined;
      if (start !== undefined) {
        this.accept(page, request, start);
        return;
      }
      if (page.next === null || page.next === token) {
        // Read to the end without passing the anchor: in date order, nothing older is left.
        if (this.ordered && anchor.at !== null) {
          this.pending = undefined;
          this.position = 'done';
          return;
        }
        break;
      }
      token = page.next;
    }
    this.pending = undefined;
    this.position = 'expired';
    this.failure = expired(this.adapter);
  }

  /** Buffers the page's jobs from `start` on, each with the position after it. */
  private accept(page: SourcePage, request: ListRequest, start: number): void {
    this.read_ = true;
    const { horizon } = this;
    const { items } = page;
    const { adapter } = this;
    const { window } = this.context;
    // A continuation that comes back unchanged would be read again and again.
    const next =
      page.next === null || page.next === request.token || this.seen.has(page.next)
        ? null
        : page.next;
    this.seen.add(request.token);
    let previous: Anchor | undefined =
      typeof this.position === 'object' ? this.position.anchor : undefined;
    let ended = false;
    for (let i = start; i < items.length && !ended; i++) {
      const record = items[i] as JobRecord;
      const anchor = anchorOf(record);
      let passed = false;
      if (this.floor) {
        if (compareNewestFirst(anchor, this.floor) <= 0) passed = true;
        else this.floor = undefined;
      }
      if (
        !passed &&
        this.ordered &&
        previous &&
        previous.at !== null &&
        anchor.at !== null &&
        anchor.at > previous.at
      ) {
        this.ordered = false;
        this.context.onOrderContradiction?.(adapter);
      }
      if (!passed) previous = anchor;
      const last = i === items.length - 1;
      const unordered = !this.ordered && adapter.order === 'newest-first' ? true : undefined;
      const above =
        horizon !== undefined && this.ordered && anchor.at !== null && anchor.at > horizon;
      // While still above the horizon, or below the floor, positions keep what tells them so.
      const kept = above ? horizon : undefined;
      const held = passed ? (this.floor as Anchor) : anchor;
      const floor = passed ? true : undefined;
      let after: Position;
      if (last && next === null) after = 'done';
      else if (adapter.tokenAfter) {
        after = {
          token: adapter.tokenAfter(record),
          anchor: held,
          unordered,
          horizon: kept,
          floor,
        };
      } else if (last) after = { token: next, anchor: held, unordered, horizon: kept, floor };
      else {
        after = {
          token: request.token,
          anchor: held,
          unordered,
          horizon: kept,
          floor,
          page: {
            size: request.size,
            skip: i + 1,
            items,
          },
        };
      }
      let skipped = false;
      if (above || passed) {
        skipped = true;
      } else if (window.before !== null && (anchor.at === null || anchor.at >= window.before)) {
        skipped = true;
      } else if (window.after !== null && (anchor.at === null || anchor.at < window.after)) {
        skipped = true;
        // In date order, everything after this job is older still: the walk is over here.
        if (this.ordered && anchor.at !== null) {
          after = 'done';
          ended = true;
        }
      }
      this.buffer.push({ record, after, skipped });
    }
    this.pending = ended || next === null ? undefined : { token: next };
    // Read to the end with nothing left to hand out: later pages need not ask again.
    if (this.pending === undefined && this.head === this.buffer.length) this.position = 'done';
    this.seek = this.pending === undefined ? undefined : seekSize(items, window, this.adapter);
  }

  private consumeSkipped(): void {
    for (;;) {
      const entry = this.buffer[this.head];
      if (!entry?.skipped) return;
      this.head++;
      this.position = entry.after;
    }
  }
}

/**
 * A page is read again with the size it was read with, so that it is the same page. When that
 * page is much larger than what is left to do (it was read to seek a window, or for a recovery,
 * or with a larger `first`), only its consumed part is read again instead: that ends exactly at
 * the anchor, and its continuation is a page boundary from which the walk reads what it needs.
 * Only in date order: there, jobs that came in above the anchor and pushed it out of the shorter
 * read are recognised by their dates; in an unknown order they could not be told from new ones.
 */
function resumeSize(page: PageMark, count: number, ordered: boolean): number {
  return ordered && page.skip + count < page.size ? Math.max(1, page.skip) : page.size;
}

/**
 * When a page ends on jobs newer than the window, how many to read next: as many as the page's
 * density of jobs over time says lie between its last job and the window, a little less, so that
 * the read ends just before the window. Undefined when the page reached the window.
 */
function seekSize(
  items: readonly JobRecord[],
  window: TimeWindow,
  adapter: JobSourceAdapter,
): number | undefined {
  const last = items.at(-1)?.createdAt?.getTime();
  if (window.before === null || last === undefined || last < window.before) return undefined;
  const first = items[0]?.createdAt?.getTime();
  if (items.length < 2 || first === undefined || first <= last) return adapter.maxPageSize;
  const perJob = (first - last) / (items.length - 1);
  return clamp(Math.floor(((last - window.before) / perJob) * 0.9), adapter);
}

function expired(adapter: JobSourceAdapter): UpstreamError {
  return new UpstreamError('CURSOR_EXPIRED', adapter.source, {
    region: adapter.region ?? undefined,
    attempts: 0,
  });
}

/** The index of the first item that comes after `anchor` in newest-first order. */
function firstAfter(items: readonly JobRecord[], anchor: Anchor): number | undefined {
  const index = items.findIndex((item) => compareNewestFirst(anchorOf(item), anchor) > 0);
  return index === -1 ? undefined : index;
}

function clamp(size: number, adapter: JobSourceAdapter): number {
  return Math.max(1, Math.min(adapter.maxPageSize, Math.floor(size)));
}
