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
 * A stream whose buffer runs dry while its upstream has more must be read before anything else is
 * emitted: its next job could be the newest. Those reads are what keeps the upstream economy: the
 * first read of each stream is sized from what the stream gave the previous page, and the second,
 * when needed, asks for no more than the page still lacks.
 */

export interface MergedEdge {
  readonly record: JobRecord;
  readonly source: string;
  /** Every stream's position just after this edge, in stream order. */
  readonly positions: readonly Position[];
  /** Jobs each stream had given the page up to and including this edge, in stream order. */
  readonly taken: readonly number[];
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
  await Promise.all(streams.filter((s) => s.needsRead).map((s) => s.read(firstReadSize(s))));
  const edges: MergedEdge[] = [];
  const heap = new HeadHeap(streams);
  while (edges.length < count) {
    const dry = streams.filter((s) => s.needsRead);
    if (dry.length > 0) {
      // A stream that made its calls without a job (empty pages, a window not yet reached) ends
      // the page here: emitting past it could put an older job before a newer one of its own.
      if (dry.some((s) => s.exhaustedCalls)) break;
      const wanted = count - edges.length;
      await Promise.all(dry.map((s) => s.read(wanted)));
      heap.refill();
      continue;
    }
    const best = heap.pop();
    if (best === undefined) break;
    const stream = streams[best] as SourceStream;
    const record = stream.take();
    const frontier = record.createdAt ? record.createdAt.getTime() : null;
    edges.push({
      record,
      source: stream.adapter.key,
      positions: streams.map((s) => s.positionAt(frontier)),
      taken: streams.map((s) => s.taken),
    });
    heap.push(best);
  }
  return { edges, hasMore: streams.some((s) => s.hasMore) };
}

/** Stream indices ordered by their head job, newest first; streams without a head are left out. */
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
    if (this.streams[s]?.peek() === undefined) return;
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
    const ta = time(this.streams[a]?.peek());
    const tb = time(this.streams[b]?.peek());
    return ta !== tb ? ta > tb : a < b;
  }
}

function time(record: JobRecord | undefined): number {
  return record?.createdAt ? record.createdAt.getTime() : Number.NEGATIVE_INFINITY;
}
