import { digestMemo } from '../digest-memo.js';
import type { JobRecord } from '../sources/types.js';

/**
 * Where a walk stands in one source. Positions name jobs, not offsets: an offset into a list that
 * changes between two pages points at a different job, an identity does not.
 *
 * - At a page boundary, `token` is the upstream's continuation (IoT's nextToken, Import/Export's
 *   Marker) and reading resumes there.
 * - Inside an IoT page (nextToken marks page boundaries only), `token` is the continuation the
 *   page was read from and `page` says how it was read; resuming reads that page again with the
 *   same size and continues after the anchor.
 *
 * `anchor` is the last job consumed from the source either way. It is what a resume looks for,
 * and what a recovery reads up to from the list's start when the upstream refuses `token`.
 */

export interface Anchor {
  readonly id: string;
  /** createdAt in epoch milliseconds; null when the upstream gave none. */
  readonly at: number | null;
}

export interface PageMark {
  /** The size the page was read with: read again with it, the page is the same page. */
  readonly size: number;
  /** How many of its items were consumed (the index of the first one that was not). */
  readonly skip: number;
  /** The page as read, in this process: the jobs after the anchor are `items[skip...]`. */
  readonly items?: readonly JobRecord[] | undefined;
  /** ...or, from a cursor, digests (idDigest) of the jobs that followed the anchor, nearest first. */
  readonly successorDigests?: readonly string[] | undefined;
}

/** How many of the jobs after an anchor a position remembers, for when the anchor is deleted. */
export const SUCCESSORS = 3;

/** Digests of the jobs that followed the anchor on its page, nearest first. */
export function successorDigests(page: PageMark): readonly string[] {
  if (page.successorDigests) return page.successorDigests;
  return (page.items ?? [])
    .slice(page.skip, page.skip + SUCCESSORS)
    .map((item) => idDigest(item.jobId));
}

export interface OpenPosition {
  /** The continuation to read from; null for the start of the list. */
  readonly token: string | null;
  readonly page?: PageMark | undefined;
  readonly anchor?: Anchor | undefined;
  /**
   * The upstream contradicted the order configured for it during this walk: from here on the
   * walk takes nothing about its order for granted.
   */
  readonly unordered?: boolean | undefined;
  /**
   * At the list's start of a newest-first source already read on an earlier page: the walk had
   * gone down to this createdAt, so a newer job found now was created since and is not delivered
   * (at most once allows it; delivering it would break the newest-first order of the walk).
   */
  readonly horizon?: number | undefined;
  /**
   * Jobs up to the anchor's place in newest-first order may still come after `token` (new jobs
   * pushed the anchor down the list): they are passed over, not delivered again.
   */
  readonly floor?: boolean | undefined;
}

/** `done`: nothing is left. `expired`: the upstream refused the position and it cannot recover. */
export type Position = OpenPosition | 'done' | 'expired';

export const START: OpenPosition = Object.freeze({ token: null });

export function anchorOf(record: JobRecord): Anchor {
  return { id: record.jobId, at: record.createdAt ? record.createdAt.getTime() : null };
}

export const DIGEST_LENGTH = 8;

/** Every edge's cursor names the few jobs after it on its page: the digests of recent ids are kept. */
const idDigests = digestMemo(DIGEST_LENGTH, 4096, 256);

/** Eight base64url characters of SHA-256: enough to tell a job from the others of one page. */
export function idDigest(id: string): string {
  return idDigests(id);
}

/**
 * The order every source that lists newest first uses: createdAt descending, then jobId
 * ascending. Negative when `a` comes first. A missing date sorts last.
 */
export function compareNewestFirst(
  a: { readonly at: number | null; readonly id: string },
  b: { readonly at: number | null; readonly id: string },
): number {
  const ta = a.at ?? Number.NEGATIVE_INFINITY;
  const tb = b.at ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return ta > tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
