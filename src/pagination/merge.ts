import type { JobRecord } from '../sources/types.js';
import type { Position } from './position.js';
import type { SourceStream } from './stream.js';

/**
 * Newest-first N-way merge of source streams, reading upstream lazily.
 *
 * Each stream is consumed in its own upstream order; at every step the newest of the stream heads
 * wins (a binary heap over the heads; equal dates keep the order of the streams). If every stream
 * lists newest first, so does the merge; if one does not, the result is still every job exactly
 * once, because each edge's cursor records, per source, exactly what has been consumed.
 *
 * Reading is what costs: the first read of each stream is sized from what the stream gave the
 * page before, and a stream whose next job's date the cursor already knows (its head) is not read
 * at all while enough known heads are newer than its own: it is read only when its head comes up.
 * A stream that runs dry while its upstream has more must be read before anything else is
 * emitted, for its next job could be the newest; that second read asks for what the page lacks.
 */

export interface MergedEdge {
  readonly record: JobRecord;
  readonly source: string;
  /** Every stream's position just after this edge, in stream order. */
  readonly positions: readonly Position[];
  /** Jobs each stream had given the page up to and including this edge, in stream order. */
  readonly taken: readonly number[];
  /** The createdAt of each stream's next job, where known without a call, in stream order. */
  readonly heads: readonly (number | undefined)[];
}

export interface MergeResult {
  readonly edges: readonly MergedEdge[];
  /** True when any stream may still have jobs, buffered or upstream (failed streams included). */
  readonly hasMore: boolean;
}

export async function mergeStreams(
  streams: readonly SourceStream[],
  count: number,
  firstReadSize: (stream: SourceStream) => number,
): Promise<MergeResult> {
  await Promise.all(
    streams
      .filter((s) => s.needsRead && !canWait(s, streams, count))
      .map((s) => s.read(firstReadSize(s))),
  );
  const edges: MergedEdge[] = [];
  const heap = new HeadHeap(streams);
  while (edges.length < count) {
    const dry = streams.filter((s) => s.needsRead && s.deferredHead === undefined);
    if (dry.length > 0) {
      // A stream that made its calls without a job (empty pages, a window not yet reached) ends
      // the page here: emitting past it could put an older job before a newer one of its own.
      if (dry.some((s) => s.exhaustedCalls)) break;
      // A stream that has given jobs to this page and is dry again after two calls ends the page
      // short rather than cost a third: the next page goes on from the same place.
      if (dry.some((s) => s.calls >= 2 && s.taken > 0)) break;
      const wanted = count - edges.length;
      const sizes = drySizes(dry, streams, wanted);
      await Promise.all(dry.map((s, i) => s.read(sizes[i] ?? wanted)));
      heap.refill();
      continue;
    }
    const best = heap.pop();
    if (best === undefined) break;
    const stream = streams[best] as SourceStream;
    if (stream.peek() === undefined) {
      // Its known head is the newest now: time to read it.
      await stream.read(Math.min(firstReadSize(stream), count - edges.length));
      heap.refill();
      continue;
    }
    const record = stream.take();
    const frontier = record.createdAt ? record.createdAt.getTime() : null;
    edges.push({
      record,
      source: stream.adapter.key,
      positions: streams.map((s) => s.positionAt(frontier)),
      taken: streams.map((s) => s.taken),
      heads: streams.map((s) => s.nextHead()),
    });
    heap.push(best);
  }
  return { edges, hasMore: streams.some((s) => s.hasMore) };
}

/**
 * The sizes of the reads of streams that ran dry with the page `wanted` jobs short. Alone or
 * beside one other source, a stream asks for all of them: the page then costs at most two calls
 * per source. Among more sources, where reads that ask for nearly a page would be read again on
 * later pages for the few jobs each gives, a stream's second call asks for what its density of
 * jobs says it will give: the date down to which the page will reach is found from the jobs the
 * other streams hold or the cursor told of, and from every dry stream's density (the time between
 * its jobs, the date of its last). If that falls short, the page ends there (see mergeStreams).
 */
function drySizes(
  reading: readonly SourceStream[],
  streams: readonly SourceStream[],
  wanted: number,
): number[] {
  const plain = () => reading.map(() => wanted);
  if (streams.length < 3 || reading.some((s) => s.calls !== 1)) return plain();
  const models = reading.map((s) => s.density());
  // A stream without a density could give the whole rest: it bounds nothing.
  if (models.some((m) => m === undefined)) return plain();
  const known: number[] = [];
  for (const stream of streams) {
    if (reading.includes(stream)) continue;
    known.push(...stream.bufferedTimes());
    if (stream.peek() === undefined && stream.deferredHead !== undefined) {
      known.push(stream.deferredHead);
    }
  }
  const jobsDownTo = (down: number) => {
    let n = 0;
    for (const t of known) if (t >= down) n++;
    for (const m of models) if (m) n += Math.max(0, (m.last - down) / m.gap);
    return n;
  };
  // The date down to which the page will reach: the newest date at which `wanted` jobs are newer.
  let high = Math.max(...known, ...models.map((m) => m?.last ?? Number.NEGATIVE_INFINITY));
  let low = Math.min(...known, ...models.map((m) => (m ? m.last - wanted * m.gap : Infinity)));
  if (!Number.isFinite(high) || !Number.isFinite(low)) return plain();
  for (let i = 0; i < 40 && high - low > 1; i++) {
    const middle = (high + low) / 2;
    if (jobsDownTo(middle) >= wanted) low = middle;
    else high = middle;
  }
  return models.map((m) =>
    m ? Math.max(1, Math.min(wanted, Math.ceil(((m.last - low) / m.gap) * 1.25) + 1)) : wanted,
  );
}

/**
 * A stream whose head is known need not be read for this page when at least `count` other
 * streams are known to have a newer job: the page fills before its turn could come.
 */
function canWait(stream: SourceStream, streams: readonly SourceStream[], count: number): boolean {
  const head = stream.deferredHead;
  if (head === undefined) return false;
  let newer = 0;
  for (const other of streams) {
    const theirs = other === stream ? undefined : other.deferredHead;
    if (theirs !== undefined && theirs > head) newer++;
  }
  return newer >= count;
}

/**
 * Stream indices ordered by their head job (or the head a cursor knew of, for a stream not read
 * yet), newest first; streams without either are left out.
 */
class HeadHeap {
  private readonly items: number[] = [];
  private readonly queued: boolean[];

  constructor(private readonly streams: readonly SourceStream[]) {
    this.queued = streams.map(() => false);
    this.refill();
  }

  /** Adds every stream that has a head and is not in the heap yet. */
  refill(): void {
    for (let s = 0; s < this.streams.length; s++) if (!this.queued[s]) this.push(s);
  }

  push(s: number): void {
    const stream = this.streams[s];
    if (!stream || (stream.peek() === undefined && stream.deferredHead === undefined)) return;
    if (stream.failure) return;
    this.queued[s] = true;
    const items = this.items;
    items.push(s);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as number, items[parent] as number)) break;
      [items[i], items[parent]] = [items[parent] as number, items[i] as number];
      i = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as number;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && this.before(items[left] as number, items[best] as number)) {
          best = left;
        }
        if (right < items.length && this.before(items[right] as number, items[best] as number)) {
          best = right;
        }
        if (best === i) break;
        [items[i], items[best]] = [items[best] as number, items[i] as number];
        i = best;
      }
    }
    this.queued[top] = false;
    return top;
  }

  /** Whether stream a's head comes before stream b's: newer first, then stream order. */
  private before(a: number, b: number): boolean {
    const ta = time(this.streams[a]);
    const tb = time(this.streams[b]);
    return ta !== tb ? ta > tb : a < b;
  }
}

function time(stream: SourceStream | undefined): number {
  const next = stream?.peek();
  if (next) return next.createdAt ? next.createdAt.getTime() : Number.NEGATIVE_INFINITY;
  return stream?.deferredHead ?? Number.NEGATIVE_INFINITY;
}
