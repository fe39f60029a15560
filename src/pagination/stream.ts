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
  START,
  successorDigests,
} from './position.js';

/**
 * One source's part of one page: reads its upstream from a position, hands out its jobs in the
 * upstream's order, and knows the position after each of them.
 *
 * Resuming inside a page reads that page again, with the size it was read with, and continues
 * after the anchor (the last job consumed). Where the anchor is gone, a source that lists newest
 * first continues after the anchor's place in that order; elsewhere the nearest of the jobs that
 * followed it, then the count of consumed items, decide. When the upstream refuses a
 * continuation, the stream reads again from the list's start up to the anchor, within a bound;
 * a position with no anchor (nothing of the source consumed yet) reads from the list's start
 * again; otherwise it reports the position expired.
 */

/** createdAt bounds, epoch milliseconds: createdAfter inclusive, createdBefore exclusive. */
export interface TimeWindow {
  readonly after: number | null;
  readonly before: number | null;
}

export interface ReadContext {
  readonly call: SourceCall;
  /** Jobs the page asks for in all. */
  readonly count: number;
  readonly query: ListQuery;
  readonly window: TimeWindow;
  /**
   * One list call; a request memoizes these so that aliases share them. `ordered`: whether this
   * walk still trusts the source's configured order (a page of a walk that does not is never
   * served from a cache; see shared-reads.ts).
   */
  readonly list: (
    adapter: JobSourceAdapter,
    request: ListRequest,
    ordered: boolean,
  ) => Promise<SourcePage>;
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
  /** Outside the time window, new since the walk began, or delivered before: never delivered. */
  readonly skipped: boolean;
}

/** What one list call brought, or why it brought nothing. */
type Listed =
  | { readonly page: SourcePage; readonly request: ListRequest }
  | { readonly refused: true }
  | undefined;

export class SourceStream {
  /** After the last job consumed; what a cursor records for this source. */
  position: Position;
  /** Upstream list calls made for this page. */
  calls = 0;
  /** Jobs delivered from this source on this page. */
  taken = 0;
  /** Why the source could not be read for this page, if it could not. */
  failure: UpstreamError | undefined;
  /**
   * The createdAt of the next job, known from the page before without reading: until the merge
   * needs a job that old, the stream need not be read at all.
   */
  deferredHead: number | undefined;

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
  /** The top of the list was read on this page: what appears above it later is new. */
  private sawTop = false;
  /** Milliseconds between two of its jobs, on average, on the last page read (or a cursor's). */
  gap: number | undefined;
  /** The createdAt of the last job read. */
  private lastRead: number | undefined;
  /** Jobs newer than this were created during the walk (see OpenPosition.horizon). */
  private readonly horizon: number | undefined;
  /**
   * A resume whose anchor was not found again, in a newest-first source: every job up to the
   * anchor's place in the order was delivered before (or created since) and is passed over, on
   * this page and the next ones, until one comes after it.
   */
  private floor: Anchor | undefined;
  /** A refused position without an anchor was sent back to the list's start on this page. */
  private restarted = false;

  constructor(
    readonly adapter: JobSourceAdapter,
    start: Position,
    private readonly context: ReadContext,
    known: { readonly head?: number | undefined; readonly gap?: number | undefined } = {},
  ) {
    this.position = start;
    this.pending = typeof start === 'object' ? start : undefined;
    this.ordered =
      adapter.order === 'newest-first' && !(typeof start === 'object' && start.unordered);
    this.horizon = typeof start === 'object' ? start.horizon : undefined;
    if (this.ordered && this.pending && known.head !== undefined) this.deferredHead = known.head;
    this.gap = known.gap;
    if (typeof start === 'object') this.lastRead = start.anchor?.at ?? undefined;
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
   * The createdAt of the next job this source would give, when it is known without a call: the
   * next buffered job, or the head a cursor told of and no read has replaced.
   */
  nextHead(): number | undefined {
    const next = this.peek();
    if (next) return next.createdAt ? next.createdAt.getTime() : undefined;
    return this.failure ? undefined : this.deferredHead;
  }

  /**
   * The position a cursor records once the walk has gone down to `frontier` (the createdAt of
   * the edge it is for). A newest-first source whose top was read without giving a job keeps the
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
      !this.sawTop
    ) {
      return p;
    }
    return { ...p, horizon: p.horizon === undefined ? frontier : Math.min(p.horizon, frontier) };
  }

  /** One upstream list call (or a bounded recovery), `size` jobs wanted. */
  async read(size: number): Promise<void> {
    const from = this.pending;
    if (!from || this.failure) return;
    this.deferredHead = undefined;
    const resume = from.page;
    if (from.floor && this.ordered && from.anchor && from.anchor.at !== null) {
      this.floor = from.anchor;
    }
    const request: ListRequest = {
      token: from.token,
      size: clamp(
        this.seek ?? (resume ? resumeSize(resume, size, this.dated(from.anchor)) : size),
        this.adapter,
      ),
      query: this.context.query,
    };
    const listed = await this.list(request);
    if (!listed) return;
    if ('refused' in listed) return this.recover(from);
    const { page } = listed;
    // An upstream that continues after any job (Import/Export's Marker) and answers with jobs
    // not after the one it was asked to continue after has not continued: it started over, as it
    // might for a marker it no longer knows. That is a refusal in all but name.
    const first = page.items[0];
    if (
      this.adapter.tokenAfter &&
      from.token !== null &&
      !resume &&
      this.ordered &&
      from.anchor &&
      first &&
      compareNewestFirst(anchorOf(first), from.anchor) <= 0
    ) {
      return this.recover(from);
    }
    if (page.items.length === 0 && this.skipEmpty(page, request, from)) return;
    this.accept(page, request, resume ? this.locate(page.items, from, resume) : 0);
  }

  /** One list call, counted; a refusal or a failure is told apart from a page. */
  private async list(request: ListRequest): Promise<Listed> {
    this.calls++;
    try {
      return { page: await this.context.list(this.adapter, request, this.ordered), request };
    } catch (error) {
      if (error instanceof TokenRefusedError) return { refused: true };
      if (!(error instanceof UpstreamError)) throw error;
      this.failure = error;
      return undefined;
    }
  }

  /**
   * An empty page with a continuation moves the position on, and keeps everything else about it
   * (the page still to be found again, the anchor, the floor): the next read continues from there,
   * on this page or the next, so that a run of empty pages costs calls but never progress.
   */
  private skipEmpty(page: SourcePage, request: ListRequest, from: OpenPosition): boolean {
    const next = page.next;
    if (next === null || next === request.token || this.seen.has(next)) return false;
    this.seen.add(request.token);
    this.pending = { ...from, token: next };
    if (this.head === this.buffer.length && typeof this.position === 'object') {
      this.position = this.position === from ? this.pending : { ...this.position, token: next };
    }
    return true;
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
   * by date where the source lists newest first, by id elsewhere. Without an anchor, from the
   * list's start.
   */
  private async recover(from: OpenPosition): Promise<void> {
    // Within a page the stream has read on, the last job it buffered is the newer anchor.
    const anchor =
      (typeof this.position === 'object' ? this.position.anchor : undefined) ?? from.anchor;
    if (!anchor && !this.restarted) {
      // No job of this source was consumed yet (the position came from skipping empty pages):
      // nothing of it was delivered, so its list's start is as good a place to read from. Once
      // per page: a start that leads to a refusal again ends in CURSOR_EXPIRED below.
      this.restarted = true;
      const start: OpenPosition =
        from.horizon === undefined ? START : { token: null, horizon: from.horizon };
      this.pending = start;
      this.position = start;
      return;
    }
    let token: string | null = null;
    for (let n = 0; anchor && n < MAX_RECOVERY_CALLS; n++) {
      const listed = await this.list({
        token,
        size: this.adapter.maxPageSize,
        query: this.context.query,
      });
      if (!listed) return;
      if ('refused' in listed) break;
      const { page, request } = listed;
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
    const { horizon, adapter } = this;
    const { items } = page;
    const { window } = this.context;
    if (request.token === null && items.length > 0) this.sawTop = true;
    // A continuation that comes back unchanged would be read again and again.
    const next =
      page.next === null || page.next === request.token || this.seen.has(page.next)
        ? null
        : page.next;
    this.seen.add(request.token);
    const previous: Anchor | undefined =
      typeof this.position === 'object' ? this.position.anchor : undefined;
    // Checked for the whole page before any position is made of it: a position made while the
    // order was still trusted would not hold what a resume without that trust needs.
    if (this.ordered && this.contradicted(items, start, previous)) {
      this.ordered = false;
      this.context.onOrderContradiction?.(adapter);
    }
    let ended = false;
    for (let i = start; i < items.length && !ended; i++) {
      const record = items[i] as JobRecord;
      const anchor = anchorOf(record);
      let passed = false;
      if (this.floor) {
        if (compareNewestFirst(anchor, this.floor) <= 0) passed = true;
        else this.floor = undefined;
      }
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
          // The jobs after the anchor are only needed where its date cannot place it.
          page: {
            size: request.size,
            skip: i + 1,
            ...(this.ordered && held.at !== null ? {} : { items }),
          },
        };
      }
      let skipped = above || passed;
      if (skipped) {
        // Not delivered: new since the walk began, or delivered before.
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
    // The whole page tells the source's density, the part already consumed included.
    const first = items[0]?.createdAt?.getTime();
    const last = items.at(-1)?.createdAt?.getTime();
    if (last !== undefined) this.lastRead = last;
    if (first !== undefined && last !== undefined && items.length > 1 && first > last) {
      this.gap = (first - last) / (items.length - 1);
    }
  }

  /** Its last job read and the time between its jobs on that page, when both are known. */
  density(): { readonly last: number; readonly gap: number } | undefined {
    if (this.gap === undefined || this.lastRead === undefined) return undefined;
    return { last: this.lastRead, gap: this.gap };
  }

  /** The createdAt of every job buffered and not yet delivered. */
  bufferedTimes(): number[] {
    const times: number[] = [];
    for (let i = this.head; i < this.buffer.length; i++) {
      const entry = this.buffer[i] as Entry;
      if (!entry.skipped) times.push(entry.record.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY);
    }
    return times;
  }

  /** Whether the source's order places `anchor` by its date. */
  private dated(anchor: Anchor | undefined): boolean {
    return this.ordered && anchor !== undefined && anchor.at !== null;
  }

  /** Whether the page, from `start`, lists a job against newest-first order. */
  private contradicted(
    items: readonly JobRecord[],
    start: number,
    previous: Anchor | undefined,
  ): boolean {
    let floor = this.floor;
    let last = previous;
    for (let i = start; i < items.length; i++) {
      const anchor = anchorOf(items[i] as JobRecord);
      if (floor && compareNewestFirst(anchor, floor) <= 0) continue;
      floor = undefined;
      if (last && contradicts(anchor, last)) return true;
      last = anchor;
    }
    return false;
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
 * Whether `job`, listed after `previous`, contradicts newest-first order: it is newer, or as new
 * with an id that sorts before (ties are assumed listed by jobId ascending).
 */
function contradicts(job: Anchor, previous: Anchor): boolean {
  if (job.at === null || previous.at === null) return false;
  return job.at > previous.at || (job.at === previous.at && job.id < previous.id);
}

/**
 * A page is read again with the size it was read with, so that it is the same page. When that
 * page is much larger than twice what the source is expected to give now (it was read to seek a window,
 * for a recovery, with a larger `first`, or to fill a page the other sources left short), only its
 * consumed part is read again instead: that ends exactly at the anchor, and its continuation is a
 * page boundary from which the walk reads what it needs.
 * Only for an anchor placed by its date: there, jobs that came in above the anchor and pushed it
 * out of the shorter read are recognised by their dates; without one they could not be told from
 * new ones.
 */
function resumeSize(page: PageMark, expected: number, dated: boolean): number {
  return dated && page.skip + 2 * expected < page.size ? Math.max(1, page.skip) : page.size;
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
