import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveIotJobs, resolveJobs } from '../src/pagination/connections.js';
import { MAX_CURSOR_LENGTH } from '../src/pagination/cursor.js';
import type { JobRecord, JobSourceAdapter, ListRequest, SourcePage } from '../src/sources/types.js';
import { UpstreamError } from '../src/errors.js';
import { type MemoryJob, MemorySource, memoryContext, memoryRecord } from './memory-source.js';

// Upstreams at their most awkward, over the pagination core with sources held in memory: ties in
// createdAt, jobs without one, short pages that still carry a continuation, runs of empty pages,
// continuations after any job, windows on a changing list, cursors of a middle edge, replicas
// that serve different regions, tokens of realistic length.

const keyOf = (record: JobRecord) =>
  `${record.kind === 'iot' ? record.region : 'IE'}|${record.jobId}`;

interface Options {
  /** Dates from a dozen values, many equal (ties listed by jobId ascending, as assumed). */
  readonly ties: boolean;
  /** Some jobs without a date. */
  readonly nulls: boolean;
  /** Continue now and then from the cursor of a middle edge, as a client showing part of a page. */
  readonly middle: boolean;
  readonly window: boolean;
}

const jobsArb = (prefix: string, options: Options) =>
  fc
    .array(
      fc.record({
        at: fc.integer({ min: 1, max: options.ties ? 12 : 100_000 }),
        none: options.nulls ? fc.integer({ min: 0, max: 9 }) : fc.constant(1),
      }),
      { maxLength: 30 },
    )
    .map((rows) =>
      rows.map((row, i): MemoryJob => ({
        jobId: `${prefix}${i}`,
        createdAt: row.none === 0 ? null : options.ties ? row.at * 1000 : row.at * 1000 + i,
        rank: 0,
      })),
    );

function walkProperty(options: Options) {
  const scale = options.ties ? 1000 : 7_000_000;
  return fc.asyncProperty(
    fc.integer({ min: 1, max: 3 }).chain((n) =>
      fc.tuple(
        fc.array(jobsArb('j', options), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
        fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.array(
            fc.oneof(
              fc.record({ kind: fc.constant('create' as const), source: fc.nat(n - 1) }),
              fc.record({
                kind: fc.constant('remove' as const),
                source: fc.nat(n - 1),
                pick: fc.nat(100),
              }),
              fc.record({ kind: fc.constant('refuse' as const), source: fc.nat(n - 1) }),
            ),
            { maxLength: 2 },
          ),
          { maxLength: 30 },
        ),
        fc.array(fc.nat(100), { minLength: 40, maxLength: 40 }),
        options.window
          ? fc.tuple(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 14 }))
          : fc.constant(null),
        fc.boolean(),
      ),
    ),
    async ([datasets, shorts, perItem, sizes, changes, picks, windowArg, refuseRemoved]) => {
      const sources = datasets.map(
        (_, i) =>
          new MemorySource({
            region: `r${i}`,
            shortPages: shorts[i] ?? 0,
            perItem: perItem[i] ?? false,
          }),
      );
      sources.forEach((s, i) => {
        s.reset(datasets[i] ?? []);
        s.refuseRemoved = refuseRemoved;
      });
      let window: { createdAfter?: Date; createdBefore?: Date } = {};
      let inWindow = (_: MemoryJob) => true;
      if (windowArg) {
        const [from, span] = windowArg;
        const after = from * scale;
        const before = (from + span) * scale;
        window = { createdAfter: new Date(after), createdBefore: new Date(before) };
        inWindow = (job) =>
          job.createdAt !== null && job.createdAt >= after && job.createdAt < before;
      }
      const keyOfJob = (s: MemorySource, job: MemoryJob) => `${s.region}|${job.jobId}`;
      const initial = new Map<string, MemoryJob>();
      for (const s of sources) for (const job of s.current()) initial.set(keyOfJob(s, job), job);
      const changed = new Set<string>();
      const expired = new Set<string>();
      const delivered: string[] = [];
      let after: string | null = null;
      let created = 0;
      let clock = 1e12;
      for (let n = 0; n < 300; n++) {
        for (const change of changes[n] ?? []) {
          const s = sources[change.source] as MemorySource;
          if (change.kind === 'create') {
            const job = { jobId: `new${created++}`, createdAt: ++clock, rank: 0 };
            s.add(job);
            changed.add(keyOfJob(s, job));
          } else if (change.kind === 'remove') {
            const jobs = s.current();
            const victim = jobs[change.pick % Math.max(1, jobs.length)];
            if (victim && s.remove(victim.jobId)) changed.add(keyOfJob(s, victim));
          } else {
            s.refuseNext = 1;
          }
        }
        const errors: string[] = [];
        const page = await resolveJobs(
          memoryContext(sources),
          { first: sizes[n % sizes.length], after, ...window },
          (error) => {
            // Short pages can put the anchor deeper than a recovery reads: a documented end.
            if (error.extensions.code === 'CURSOR_EXPIRED') {
              expired.add(String(error.extensions.region));
            } else {
              errors.push(String(error.extensions.code));
            }
          },
        );
        expect(errors).toEqual([]);
        if (page.pageInfo.hasNextPage) expect(page.pageInfo.endCursor).not.toBeNull();
        let edges = page.edges;
        let next = page.pageInfo.endCursor;
        const middle =
          options.middle && edges.length > 1 && (picks[n % picks.length] as number) % 3 === 0;
        if (middle) {
          edges = edges.slice(0, ((picks[(n + 1) % picks.length] as number) % edges.length) + 1);
          next = edges.at(-1)?.cursor ?? null;
        }
        delivered.push(...edges.map((e) => keyOf(e.node)));
        if (!middle && !page.pageInfo.hasNextPage) {
          const counts = new Map<string, number>();
          for (const key of delivered) counts.set(key, (counts.get(key) ?? 0) + 1);
          // Nothing twice.
          expect([...counts].filter(([, count]) => count > 1)).toEqual([]);
          // Every job that existed throughout, in the window, exactly once.
          const throughout = [...initial].filter(
            ([key, job]) =>
              !changed.has(key) && inWindow(job) && !expired.has(key.split('|')[0] as string),
          );
          expect(throughout.map(([key]) => key).filter((key) => !counts.has(key))).toEqual([]);
          // Nothing outside the window, nothing that never existed.
          for (const key of counts.keys()) {
            const job = initial.get(key);
            expect(changed.has(key) || (job !== undefined && inWindow(job))).toBe(true);
          }
          return;
        }
        after = next;
      }
      throw new Error('the walk did not end');
    },
  );
}

const RUNS = Number(process.env.WALK_RUNS ?? 60);
const ALL_OFF: Options = { ties: false, nulls: false, middle: false, window: false };

describe('walks over awkward upstreams, on changing lists', () => {
  it('short pages, continuations after any job, refusals', async () => {
    await fc.assert(walkProperty(ALL_OFF), { numRuns: RUNS });
  });
  it('from the cursor of a middle edge', async () => {
    await fc.assert(walkProperty({ ...ALL_OFF, middle: true }), { numRuns: RUNS });
  });
  it('ties in createdAt', async () => {
    await fc.assert(walkProperty({ ...ALL_OFF, ties: true, middle: true }), { numRuns: RUNS });
  });
  it('jobs without createdAt', async () => {
    await fc.assert(walkProperty({ ...ALL_OFF, nulls: true, middle: true }), { numRuns: RUNS });
  });
  it('time windows', async () => {
    await fc.assert(walkProperty({ ...ALL_OFF, middle: true, window: true }), { numRuns: RUNS });
  });
  it('time windows, ties and jobs without a date together', async () => {
    await fc.assert(walkProperty({ ties: true, nulls: true, middle: true, window: true }), {
      numRuns: RUNS,
    });
  });
});

/**
 * A filtered listing that answers a run of empty pages, each with a fresh continuation, before
 * each real one, as a service that filters after it reads may. Its continuations are
 * `<inner continuation or ^>#<empty pages still to serve>`.
 */
class EmptyRuns extends MemorySource {
  constructor(private readonly run: number) {
    super({ region: 'r' });
  }

  override async list(request: ListRequest): Promise<SourcePage> {
    const [inner, left] =
      request.token === null
        ? ['^', String(this.run)]
        : (request.token.split('#') as [string, string]);
    if (Number(left) > 0) {
      this.calls++;
      return { items: [], next: `${inner}#${Number(left) - 1}` };
    }
    const page = await super.list({ ...request, token: inner === '^' ? null : inner });
    return { ...page, next: page.next === null ? null : `${page.next}#${this.run}` };
  }
}

describe('runs of empty pages', () => {
  for (const run of [3, 7, 8, 12]) {
    it(`${run} empty pages before each real one: bounded calls per page, and the walk gets on`, async () => {
      const source = new EmptyRuns(run);
      source.reset(
        Array.from({ length: 6 }, (_, i): MemoryJob => ({
          jobId: `j${i}`,
          createdAt: 1000 - i,
          rank: 0,
        })),
      );
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 30; pages++) {
        const calls = source.calls;
        const page = await resolveIotJobs(memoryContext([source]), { first: 2, after }, () => {});
        expect(source.calls - calls).toBeLessThanOrEqual(8);
        seen.push(...page.edges.map((e) => e.node.jobId));
        if (!page.pageInfo.hasNextPage) break;
        expect(page.pageInfo.endCursor).not.toBe(after);
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j5']);
    });
  }
});

/** Its first answer from the list's start is an empty page with a continuation to the start. */
class EmptyFirstThenFail extends MemorySource {
  failing = true;
  private served = false;

  override list(request: ListRequest): Promise<SourcePage> {
    if (this.failing) {
      this.calls++;
      if (!this.served) {
        this.served = true;
        return Promise.resolve({ items: [], next: '^' });
      }
      return Promise.reject(new UpstreamError('UPSTREAM_UNAVAILABLE', 'IOT', { region: 'a' }));
    }
    return super.list({ ...request, token: request.token === '^' ? null : request.token });
  }
}

describe('a source that never showed its top', () => {
  it('loses none of its jobs to the horizon of the others', async () => {
    const a = new EmptyFirstThenFail({ region: 'a' });
    const b = new MemorySource({ region: 'b' });
    // A's jobs are the newest of all, and A was never read past an empty page.
    a.reset([
      { jobId: 'a1', createdAt: 1000, rank: 0 },
      { jobId: 'a2', createdAt: 900, rank: 0 },
    ]);
    b.reset(
      Array.from({ length: 6 }, (_, i): MemoryJob => ({
        jobId: `b${i}`,
        createdAt: 500 - i,
        rank: 0,
      })),
    );
    const errors: unknown[] = [];
    const first = await resolveJobs(memoryContext([a, b]), { first: 3 }, (e) =>
      errors.push(e.extensions.code),
    );
    expect(errors).toEqual(['UPSTREAM_UNAVAILABLE']);
    const seen = first.edges.map((e) => keyOf(e.node));
    let after = first.pageInfo.endCursor;
    a.failing = false;
    for (let n = 0; n < 20; n++) {
      const page = await resolveJobs(memoryContext([a, b]), { first: 3, after }, () => {});
      seen.push(...page.edges.map((e) => keyOf(e.node)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(['a|a1', 'a|a2', 'b|b0', 'b|b1', 'b|b2', 'b|b3', 'b|b4', 'b|b5']);
  });
});

/** Newest first, but ties in createdAt by jobId descending: not the tie order assumed. */
class TiesDescending extends MemorySource {
  override list(request: ListRequest): Promise<SourcePage> {
    this.calls++;
    const jobs = [...this.current()].sort(
      (x, y) =>
        (y.createdAt ?? 0) - (x.createdAt ?? 0) ||
        (x.jobId < y.jobId ? 1 : x.jobId > y.jobId ? -1 : 0),
    );
    let start = 0;
    if (request.token !== null) {
      const [at, id] = request.token.split('|') as [string, string];
      start = jobs.findIndex(
        (j) =>
          (j.createdAt ?? 0) < Number(at) || ((j.createdAt ?? 0) === Number(at) && j.jobId < id),
      );
      if (start < 0) start = jobs.length;
    }
    const items = jobs.slice(start, start + request.size);
    const last = items.at(-1);
    return Promise.resolve({
      items: items.map((j) => memoryRecord(this.region, j)),
      next: start + request.size < jobs.length && last ? `${last.createdAt}|${last.jobId}` : null,
    });
  }
}

describe('ties in another order than assumed', () => {
  it('are noticed, and a deleted anchor among them loses nothing and repeats nothing', async () => {
    const ties = new TiesDescending({ region: 't' });
    const other = new MemorySource({ region: 'o' });
    ties.reset(['e', 'd', 'c', 'b', 'a'].map((jobId) => ({ jobId, createdAt: 100, rank: 0 })));
    other.reset([{ jobId: 'x', createdAt: 150, rank: 0 }]);
    const noticed: string[] = [];
    const context = () => ({
      ...memoryContext([ties, other]),
      onOrderContradiction: (s: JobSourceAdapter) => noticed.push(s.key),
    });
    const first = await resolveJobs(context(), { first: 2 }, () => {});
    const seen = first.edges.map((e) => keyOf(e.node));
    expect(seen).toEqual(['o|x', 't|e']);
    expect(noticed).toEqual(['MEMORY:t']);
    ties.remove('e');
    let after = first.pageInfo.endCursor;
    for (let n = 0; n < 20 && after; n++) {
      const page = await resolveJobs(context(), { first: 2, after }, () => {});
      seen.push(...page.edges.map((e) => keyOf(e.node)));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    }
    expect(seen).toEqual(['o|x', 't|e', 't|d', 't|c', 't|b', 't|a']);
  });
});

describe('replicas that serve different regions, as during a rolling change of IOT_REGIONS', () => {
  it('a replica without a region passes its position on to the next that has it', async () => {
    const a = new MemorySource({ region: 'a' });
    const b = new MemorySource({ region: 'b' });
    a.reset(
      Array.from({ length: 10 }, (_, i): MemoryJob => ({
        jobId: `a${i}`,
        createdAt: 1000 - i * 10,
        rank: 0,
      })),
    );
    b.reset(
      Array.from({ length: 10 }, (_, i): MemoryJob => ({
        jobId: `b${i}`,
        createdAt: 1005 - i * 10,
        rank: 0,
      })),
    );
    const replicas = [[a, b], [a], [a], [a, b], [a, b], [a, b], [a, b], [a, b], [a, b]];
    const seen: string[] = [];
    let after: string | null = null;
    for (const sources of replicas) {
      const page = await resolveJobs(memoryContext(sources), { first: 4, after }, () => {});
      seen.push(...page.edges.map((e) => keyOf(e.node)));
      if (!page.pageInfo.hasNextPage && sources.length === 2) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
    expect(new Set(seen).size).toBe(20);
  });
});

/** Continuations padded to `length` characters, as real upstream tokens may be. */
class LongTokens extends MemorySource {
  constructor(
    region: string,
    private readonly length: number,
  ) {
    super({ region });
  }

  override async list(request: ListRequest): Promise<SourcePage> {
    const inner = request.token === null ? null : request.token.slice(this.length);
    const page = await super.list({ ...request, token: inner });
    return { ...page, next: page.next === null ? null : 'T'.repeat(this.length) + page.next };
  }
}

/**
 * The README's bound on a cursor of `jobs`: 4/3 of the characters of its positions' tokens and
 * anchor ids together, plus 170 per source.
 */
function cursorBound(sources: readonly { token: number; id: number }[]): number {
  const text = sources.reduce((n, s) => n + s.token + s.id, 0);
  return Math.ceil((4 / 3) * text) + 170 * sources.length;
}

describe('cursor sizes', () => {
  it('three regions with tokens of 300 characters and Import/Export: within the bound, every job once', async () => {
    const ID = 'job-0000-4352a9'.length;
    const IE_ID = 'ABCDE000'.length;
    const bound = cursorBound([
      ...Array.from({ length: 3 }, () => ({ token: 300 + ID, id: ID })),
      { token: IE_ID, id: IE_ID },
    ]);
    expect(bound).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    const walkOf = async (sizes: readonly number[], perSource: number) => {
      const sources: JobSourceAdapter[] = Array.from({ length: 3 }, (_, k) => {
        const source = new LongTokens(`ap-southeast-${k}`, 300);
        source.reset(
          Array.from({ length: perSource }, (_, i): MemoryJob => ({
            jobId: `job-${String(i).padStart(4, '0')}-4352a9`,
            createdAt: 1_790_000_000_000 - i * 7_000_123 - k * 1_000,
            rank: 0,
          })),
        );
        return source;
      });
      const ie = new MemorySource({ key: 'IMPORT_EXPORT', region: 'global', perItem: true });
      ie.reset(
        Array.from({ length: perSource }, (_, i): MemoryJob => ({
          jobId: `ABCDE${String(i).padStart(3, '0')}`,
          createdAt: 1_790_000_000_000 - i * 7_000_321,
          rank: 0,
        })),
      );
      sources.push(ie);
      const seen: string[] = [];
      let after: string | null = null;
      let longest = 0;
      for (let n = 0; n < 1000; n++) {
        const first = sizes[n % sizes.length] as number;
        const page = await resolveJobs(memoryContext(sources), { first, after }, () => {});
        for (const e of page.edges) {
          longest = Math.max(longest, e.cursor.length);
          seen.push(keyOf(e.node));
        }
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
      expect(seen).toHaveLength(4 * perSource);
      return longest;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        async (sizes, perSource) => {
          expect(await walkOf(sizes, perSource)).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 25 },
    );
    // Far over 1 KB: the README says under which token lengths a cursor stays under it.
    const longest = await walkOf([7], 40);
    expect(longest).toBeGreaterThan(1800);
    expect(longest).toBeLessThanOrEqual(bound);
  });

  it('ten regions with tokens of 300 characters fit in a cursor', async () => {
    const sources = Array.from({ length: 10 }, (_, k) => {
      const source = new LongTokens(`region-${k}`, 300);
      source.reset(
        Array.from({ length: 30 }, (_, i): MemoryJob => ({
          jobId: `job-${k}-${String(i).padStart(4, '0')}-abcdef`,
          createdAt: 1_700_000_000_000 - i * 7_000 - k * 1_000,
          rank: 0,
        })),
      );
      return source;
    });
    let after: string | null = null;
    let longest = 0;
    for (let n = 0; n < 60; n++) {
      const page = await resolveJobs(memoryContext(sources), { first: 7, after }, () => {});
      for (const e of page.edges) longest = Math.max(longest, e.cursor.length);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(longest).toBeGreaterThan(3000);
    expect(longest).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
  });
});
