import type { Positioned, SourceRead } from './sources.js';

/**
 * Newest-first k-way merge of per-source reads.
 *
 * Each stream is consumed in its own upstream order; at every step the newer of the stream heads
 * wins. If every stream is newest-first, so is the result; if one is not (IoT does not document
 * its order), the result is still every job exactly once, because each edge's cursor records, per
 * source, exactly which items have been consumed.
 *
 * Every stream must hold at least `count` items or be exhausted (`hasMore` false): otherwise an
 * item not yet read could be newer than the one emitted.
 */

export interface Dated {
  readonly createdAt: Date | null;
}

export interface MergeStream<K extends string, T extends Dated, P> {
  readonly key: K;
  readonly read: SourceRead<T, P>;
}

export interface MergedEdge<K extends string, T extends Dated, P> {
  readonly source: K;
  readonly item: Positioned<T, P>;
}

export interface MergeResult<K extends string, T extends Dated, P> {
  readonly edges: readonly MergedEdge<K, T, P>[];
  /** True when any stream has items left, in its buffer or upstream. */
  readonly hasMore: boolean;
}

/** Missing dates sort last; equal dates keep the order of `streams` (a stable tie-break). */
function time(item: Dated): number {
  return item.createdAt ? item.createdAt.getTime() : Number.NEGATIVE_INFINITY;
}

export function mergeNewestFirst<K extends string, T extends Dated, P>(
  streams: readonly MergeStream<K, T, P>[],
  count: number,
): MergeResult<K, T, P> {
  const heads = streams.map(() => 0);
  const edges: MergedEdge<K, T, P>[] = [];
  while (edges.length < count) {
    let best = -1;
    let bestTime = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < streams.length; s++) {
      const item = streams[s]?.read.items[heads[s] as number];
      if (!item) continue;
      const t = time(item.record);
      if (best === -1 || t > bestTime) {
        best = s;
        bestTime = t;
      }
    }
    if (best === -1) break;
    const stream = streams[best] as MergeStream<K, T, P>;
    const index = heads[best] as number;
    edges.push({ source: stream.key, item: stream.read.items[index] as Positioned<T, P> });
    heads[best] = index + 1;
  }
  const hasMore = streams.some(
    (stream, s) => (heads[s] as number) < stream.read.items.length || stream.read.hasMore,
  );
  return { edges, hasMore };
}
