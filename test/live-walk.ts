import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Walks through a simulator's list while it changes between pages, and the guarantee such a walk
 * must keep: every job that exists for the whole walk exactly once, a job created or deleted
 * during it at most once, nothing twice. Shared by the IoT and Import/Export properties, so both
 * upstreams are held to the same changes and the same check.
 */

/** One change made between two pages. */
export type Change =
  /** A new job: the newest (`at: null`), or created at a point of the list's time span. */
  | { readonly kind: 'create'; readonly at: number | null }
  /** Deletes or cancels the `pick`-th job (modulo the list's length). */
  | { readonly kind: 'delete' | 'cancel'; readonly pick: number }
  /** Deletes the last job delivered: the job the next page continues after. */
  | { readonly kind: 'deleteAnchor' };

export const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    at: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'cancel' as const), pick: fc.nat() }),
  fc.constant({ kind: 'deleteAnchor' as const }),
);

export interface WalkCase {
  readonly seed: number;
  readonly size: number;
  /** Page sizes, used in turn. */
  readonly pageSizes: readonly number[];
  /** The changes made before the second page, the third, ... */
  readonly changes: readonly (readonly Change[])[];
}

export function walkCaseArbitrary(maxSize: number, pageSizes: readonly number[]) {
  return fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    size: fc.integer({ min: 0, max: maxSize }),
    pageSizes: fc.array(fc.constantFrom(...pageSizes), { minLength: 1, maxLength: 4 }),
    changes: fc.array(fc.array(changeArbitrary, { maxLength: 3 }), { maxLength: maxSize + 5 }),
  });
}

interface JobLike {
  readonly jobId: string;
  readonly createdAt: Date;
}

/** What both simulators' `live` controls offer. */
export interface LiveLike {
  jobs(): readonly JobLike[];
  createJob(job: { createdAt?: Date }): JobLike;
  deleteJob(jobId: string): boolean;
  cancelJob(jobId: string): boolean;
}

/** Reads one page after the jobs delivered so far; `more` false ends the walk. */
export type ReadPage = (
  pageSize: number,
  seen: readonly string[],
) => Promise<{ readonly ids: readonly string[]; readonly more: boolean }>;

/**
 * Runs `walk` over `start` (already loaded into the simulator), making its changes between
 * pages, then checks the guarantee. @returns the ids delivered, in order, and every job's creation
 * time (also of jobs deleted since), for order checks.
 */
export async function walkWhileChanging(
  live: LiveLike,
  start: readonly JobLike[],
  walk: WalkCase,
  readPage: ReadPage,
): Promise<{ seen: string[]; createdAt: Map<string, number> }> {
  const initial = new Set(start.map((job) => job.jobId));
  const created = new Set<string>();
  const deleted = new Set<string>();
  const createdAt = new Map(start.map((job) => [job.jobId, job.createdAt.getTime()]));
  const seen: string[] = [];
  for (let page = 0; ; page++) {
    for (const step of page === 0 ? [] : (walk.changes[page - 1] ?? [])) {
      const jobs = live.jobs();
      if (step.kind === 'create') {
        const times = jobs.map((job) => job.createdAt.getTime());
        const low = Math.min(...times);
        const at =
          step.at === null || times.length === 0
            ? undefined
            : new Date(Math.round(low + step.at * (Math.max(...times) - low)));
        const job = live.createJob(at ? { createdAt: at } : {});
        created.add(job.jobId);
        createdAt.set(job.jobId, job.createdAt.getTime());
      } else if (step.kind === 'deleteAnchor') {
        const anchor = seen[seen.length - 1];
        if (anchor !== undefined && live.deleteJob(anchor)) deleted.add(anchor);
      } else if (jobs.length > 0) {
        const job = jobs[step.pick % jobs.length] as JobLike;
        if (step.kind === 'cancel') live.cancelJob(job.jobId);
        else if (live.deleteJob(job.jobId)) deleted.add(job.jobId);
      }
    }
    const pageSize = walk.pageSizes[page % walk.pageSizes.length] as number;
    const answer = await readPage(pageSize, seen);
    expect(answer.ids.length).toBeLessThanOrEqual(pageSize);
    seen.push(...answer.ids);
    if (!answer.more) break;
    if (page > 1000) throw new Error('the walk does not end');
  }
  expect(new Set(seen).size, 'nothing twice').toBe(seen.length);
  for (const id of initial) {
    if (!deleted.has(id)) expect(seen, `${id} existed for the whole walk`).toContain(id);
  }
  for (const id of seen) expect(initial.has(id) || created.has(id), `${id} existed`).toBe(true);
  return { seen, createdAt };
}

/** Asserts `ids` are newest first by creation time, then by id. */
export function expectNewestFirst(ids: readonly string[], createdAt: Map<string, number>): void {
  for (let i = 1; i < ids.length; i++) {
    const [a, b] = [ids[i - 1] as string, ids[i] as string];
    const [ta, tb] = [createdAt.get(a) as number, createdAt.get(b) as number];
    expect(ta > tb || (ta === tb && a < b), `${a} before ${b}`).toBe(true);
  }
}
