import { print } from 'graphql';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../src/simulators/dataset.js';
import type { JobFieldsFragment } from './gql/graphql.js';
import { captureLogs, type Stack, startStack } from './harness.js';
import { ImportExportJobsPage, IotJobsPage, JobsPage } from './operations.js';
import { keyOf } from './walk.js';

// Walks through the gateway over HTTP while the simulated upstreams change under them: jobs are
// created at the top, canceled and deleted anywhere, and page tokens are refused, between pages.
// Whatever happens, every job that exists for the whole walk comes exactly once, a job created or
// deleted during it at most once, and nothing twice.

type Connection = 'jobs' | 'iotJobs' | 'importExportJobs';
const DOCUMENTS = { jobs: JobsPage, iotJobs: IotJobsPage, importExportJobs: ImportExportJobsPage };

type Change =
  | { readonly kind: 'create' | 'cancel' | 'delete'; readonly iot: boolean; readonly pick: number }
  | { readonly kind: 'refuse'; readonly iot: boolean };

interface PageResult {
  readonly nodes: JobFieldsFragment[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
}

async function page(
  stack: Stack,
  connection: Connection,
  variables: Record<string, unknown>,
): Promise<PageResult> {
  const response = await stack.query(print(DOCUMENTS[connection]), variables);
  expect(response.status).toBe(200);
  const data = (response.body.data as Record<string, unknown> | null | undefined)?.[connection] as
    | {
        edges: { node: JobFieldsFragment }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      }
    | null
    | undefined;
  return {
    nodes: data?.edges.map((e) => e.node) ?? [],
    hasNextPage: data?.pageInfo.hasNextPage ?? false,
    endCursor: data?.pageInfo.endCursor ?? null,
    errors: response.body.errors ?? [],
  };
}

function currentKeys(stack: Stack, connection: Connection): Set<string> {
  const keys = new Set<string>();
  if (connection !== 'importExportJobs') {
    for (const job of stack.simulators.iot?.live.jobs() ?? []) keys.add(`IOT:${job.jobId}`);
  }
  if (connection !== 'iotJobs') {
    for (const job of stack.simulators.importExport?.live.jobs() ?? []) {
      keys.add(`IMPORT_EXPORT:${job.jobId}`);
    }
  }
  return keys;
}

function apply(stack: Stack, change: Change, touched: Set<string>): void {
  const iot = stack.simulators.iot;
  const ie = stack.simulators.importExport;
  if (!iot || !ie) throw new Error('both simulators are needed');
  if (change.kind === 'refuse') {
    if (change.iot) iot.refuseNextTokens(1);
    else ie.refuseNextMarkers(1);
    return;
  }
  const jobs = change.iot ? iot.live.jobs() : ie.live.jobs();
  const victim = jobs[change.pick % Math.max(1, jobs.length)];
  const prefix = change.iot ? 'IOT' : 'IMPORT_EXPORT';
  if (change.kind === 'create') {
    const created = change.iot ? iot.live.createJob() : ie.live.createJob();
    touched.add(`${prefix}:${created.jobId}`);
  } else if (victim && change.kind === 'delete') {
    if (change.iot ? iot.live.deleteJob(victim.jobId) : ie.live.deleteJob(victim.jobId)) {
      touched.add(`${prefix}:${victim.jobId}`);
    }
  } else if (victim) {
    // A canceled job still exists: the walk must still deliver it exactly once.
    if (change.iot) iot.live.cancelJob(victim.jobId);
    else ie.live.cancelJob(victim.jobId);
  }
}

interface LiveWalk {
  readonly delivered: JobFieldsFragment[];
  readonly throughout: Set<string>;
  readonly touched: Set<string>;
}

async function liveWalk(
  stack: Stack,
  connection: Connection,
  sizes: readonly number[],
  plan: readonly (readonly Change[])[],
): Promise<LiveWalk> {
  const initial = currentKeys(stack, connection);
  const touched = new Set<string>();
  const delivered: JobFieldsFragment[] = [];
  let after: string | null = null;
  for (let n = 0; n < 400; n++) {
    for (const change of plan[n] ?? []) apply(stack, change, touched);
    const result = await page(stack, connection, { first: sizes[n % sizes.length], after });
    expect(result.errors).toEqual([]);
    delivered.push(...result.nodes);
    // No dead end: a page that says there is more says where.
    if (result.hasNextPage) expect(result.endCursor).not.toBeNull();
    if (!result.hasNextPage) {
      const throughout = new Set([...initial].filter((key) => !touched.has(key)));
      return { delivered, throughout, touched };
    }
    after = result.endCursor;
  }
  throw new Error('the walk did not end');
}

function expectGuarantees(walk: LiveWalk): void {
  const seen = walk.delivered.map(keyOf);
  expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
  const delivered = new Set(seen);
  expect([...walk.throughout].filter((key) => !delivered.has(key))).toEqual([]);
  for (const key of delivered) expect(walk.throughout.has(key) || walk.touched.has(key)).toBe(true);
}

function expectNewestFirst(nodes: readonly JobFieldsFragment[]): void {
  for (let i = 1; i < nodes.length; i++) {
    expect(Date.parse(nodes[i]?.createdAt as string)).toBeLessThanOrEqual(
      Date.parse(nodes[i - 1]?.createdAt as string),
    );
  }
}

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('create', 'cancel', 'delete'),
      iot: fc.boolean(),
      pick: fc.nat(500),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refuse' as const), iot: fc.boolean() }) },
);

describe('walks on a changing list', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 0, importExportJobs: 0 });
  });
  afterAll(() => stack.close());

  function reset(seed: number, iotJobs: number, importExportJobs: number, refuseDeleted: boolean) {
    const dataset = createDataset({ seed, iotJobs, importExportJobs });
    const iot = stack.simulators.iot;
    const ie = stack.simulators.importExport;
    if (!iot || !ie) throw new Error('both simulators are needed');
    iot.live.reset(dataset);
    ie.live.reset(dataset);
    iot.refuseNextTokens(0);
    ie.refuseNextMarkers(0);
    // Real upstreams may drop the continuation of a deleted job: the walk must recover.
    iot.refuseTokensOfDeletedJobs = refuseDeleted;
    ie.refuseMarkersOfDeletedJobs = refuseDeleted;
  }

  for (const connection of ['jobs', 'iotJobs', 'importExportJobs'] as const) {
    it(`${connection}: exactly once, at most once, never twice, newest first`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(10_000),
          fc.nat(40),
          fc.nat(25),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
          fc.array(fc.array(changeArb, { maxLength: 3 }), { maxLength: 25 }),
          async (seed, iotJobs, ieJobs, refuseDeleted, sizes, plan) => {
            reset(seed, iotJobs, ieJobs, refuseDeleted);
            const walk = await liveWalk(stack, connection, sizes, plan);
            expectGuarantees(walk);
            expectNewestFirst(walk.delivered);
          },
        ),
        { numRuns: Number(process.env.LIVE_RUNS ?? 20) },
      );
    }, 120_000);
  }

  it('a job created at the top while the first page is read is not delivered twice', async () => {
    reset(7, 30, 10, false);
    const first = await page(stack, 'jobs', { first: 5 });
    const created = stack.simulators.iot?.live.createJob();
    const rest: JobFieldsFragment[] = [];
    let after = first.endCursor;
    while (after) {
      const next = await page(stack, 'jobs', { first: 5, after });
      rest.push(...next.nodes);
      after = next.hasNextPage ? next.endCursor : null;
    }
    const all = [...first.nodes, ...rest].map(keyOf);
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain(`IOT:${created?.jobId}`);
    expect(all).toHaveLength(40);
  });

  it('a deleted anchor: the walk goes on after its date, the upstream refusing its token or not', async () => {
    for (const refuseDeleted of [false, true]) {
      reset(11, 40, 0, refuseDeleted);
      const first = await page(stack, 'iotJobs', { first: 7 });
      const anchor = first.nodes.at(-1);
      expect(stack.simulators.iot?.live.deleteJob(anchor?.jobId as string)).toBe(true);
      const rest: JobFieldsFragment[] = [];
      let after = first.endCursor;
      while (after) {
        const next = await page(stack, 'iotJobs', { first: 7, after });
        expect(next.errors).toEqual([]);
        rest.push(...next.nodes);
        after = next.hasNextPage ? next.endCursor : null;
      }
      const ids = [...first.nodes, ...rest].map((n) => n.jobId);
      expect(ids).toEqual(
        createDataset({ seed: 11, iotJobs: 40, importExportJobs: 0 }).iotJobs.map((j) => j.jobId),
      );
    }
  });

  it('a refused token is recovered from the anchor, for each source, within a bounded read', async () => {
    for (const connection of ['iotJobs', 'importExportJobs', 'jobs'] as const) {
      reset(13, 60, 30, false);
      const first = await page(stack, connection, { first: 9 });
      stack.simulators.iot?.refuseNextTokens(1);
      stack.simulators.importExport?.refuseNextMarkers(1);
      stack.resetCounters();
      const second = await page(stack, connection, { first: 9, after: first.endCursor });
      expect(second.errors).toEqual([]);
      expect(second.nodes).toHaveLength(9);
      // The refused call, a read from the start up to the anchor, and the page's own reads.
      const calls = stack.calls();
      expect(calls.iot + calls.importExport).toBeLessThanOrEqual(8);
      const seen = [...first.nodes, ...second.nodes].map(keyOf);
      expect(new Set(seen).size).toBe(18);
    }
  });
});

const query = (field: 'jobs' | 'iotJobs') =>
  field === 'jobs'
    ? 'query($a: String) { jobs(first: 5, after: $a) { edges { node { jobId source } } pageInfo { hasNextPage endCursor } unavailable { source region code } } }'
    : 'query($a: String) { iotJobs(first: 5, after: $a) { edges { node { jobId } } pageInfo { hasNextPage endCursor } } }';

describe('positions that cannot be recovered', () => {
  it('IoT of unknown order, its anchor deleted and its token refused: CURSOR_EXPIRED, the other source goes on', async () => {
    const stack = await startStack({
      iotJobs: 40,
      importExportJobs: 30,
      iotOrder: 'shuffled',
      iotListOrder: 'unknown',
    });
    try {
      const iot = stack.simulators.iot;
      if (!iot) throw new Error('the IoT simulator should run');
      iot.refuseTokensOfDeletedJobs = true;
      // iotJobs: the field is null, with a code that tells the client to start again.
      const first = await stack.query(query('iotJobs'), {});
      const page = (
        first.body.data as {
          iotJobs: { edges: { node: { jobId: string } }[]; pageInfo: { endCursor: string } };
        }
      ).iotJobs;
      iot.live.deleteJob(page.edges.at(-1)?.node.jobId as string);
      const second = await stack.query(query('iotJobs'), { a: page.pageInfo.endCursor });
      expect((second.body.data as { iotJobs: unknown }).iotJobs).toBeNull();
      expect(second.body.errors?.[0]?.extensions).toMatchObject({
        code: 'CURSOR_EXPIRED',
        source: 'IOT',
        region: 'us-east-1',
      });

      // jobs: IoT is reported expired on this page and every later one; Import/Export goes on.
      iot.live.reset();
      type Jobs = {
        jobs: {
          edges: { node: { jobId: string; source: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          unavailable: { source: string; region: string | null; code: string }[];
        };
      };
      // Down the walk until IoT's position holds a page token and an anchor; then the anchor is
      // deleted, and IoT refuses the token.
      const iotPosition = (cursor: string | null) =>
        cursor
          ? (
              JSON.parse(Buffer.from(cursor.split('.')[1] as string, 'base64url').toString()) as {
                p: Record<string, { t?: string; a?: string }>;
              }
            ).p['IOT:us-east-1']
          : undefined;
      let response = await stack.query(query('jobs'), {});
      let data = (response.body.data as Jobs).jobs;
      while (!iotPosition(data.pageInfo.endCursor)?.t) {
        response = await stack.query(query('jobs'), { a: data.pageInfo.endCursor });
        data = (response.body.data as Jobs).jobs;
      }
      iot.live.deleteJob(iotPosition(data.pageInfo.endCursor)?.a as string);
      iot.refuseNextTokens(1);
      const seen = new Set<string>();
      let calls = -1;
      for (let n = 0; n < 20 && data.pageInfo.hasNextPage; n++) {
        response = await stack.query(query('jobs'), { a: data.pageInfo.endCursor });
        data = (response.body.data as Jobs).jobs;
        expect(data.unavailable).toEqual([
          { source: 'IOT', region: 'us-east-1', code: 'CURSOR_EXPIRED' },
        ]);
        expect(response.body.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
        for (const edge of data.edges) {
          expect(edge.node.source).toBe('IMPORT_EXPORT');
          seen.add(edge.node.jobId);
        }
        // Once expired, IoT is not asked again.
        if (n === 1) calls = iot.counters.snapshot().total;
        if (n > 1) expect(iot.counters.snapshot().total).toBe(calls);
      }
      expect(data.pageInfo.hasNextPage).toBe(false);
      expect(seen.size).toBeGreaterThan(0);
    } finally {
      await stack.close();
    }
  });

  it('an IoT that contradicts the newest-first order it is configured with: the walk stays exactly once, and it is logged once', async () => {
    const logs = captureLogs('warn');
    const stack = await startStack({
      iotJobs: 60,
      importExportJobs: 20,
      iotOrder: 'shuffled',
      logger: logs.logger,
    });
    try {
      const seen: string[] = [];
      let after: string | null = null;
      for (let n = 0; n < 100; n++) {
        const result = await page(stack, 'jobs', { first: 7, after });
        expect(result.errors).toEqual([]);
        seen.push(...result.nodes.map(keyOf));
        if (!result.hasNextPage) break;
        after = result.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(80);
      const warnings = logs
        .text()
        .split('\n')
        .filter((line) => line.includes('against its configured order'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('IOT:us-east-1');
    } finally {
      await stack.close();
    }
  });
});

type JobsAnswer = {
  jobs: {
    edges: { node: { jobId: string; source: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    unavailable: { source: string; code: string }[];
  };
};

/** What a `jobs` cursor holds for IoT: `t` its page token, `a` its anchor's id. */
function iotWire(cursor: string | null): { t?: string; a?: string } | undefined {
  if (!cursor) return undefined;
  const payload = JSON.parse(
    Buffer.from(cursor.split('.')[1] as string, 'base64url').toString(),
  ) as { p: Record<string, { t?: string; a?: string } | number> };
  const wire = payload.p['IOT:us-east-1'];
  return typeof wire === 'object' ? wire : undefined;
}

/**
 * A first page of `jobs` on which IoT answered an empty page (with a token) and then failed: its
 * position in the cursor is that token, with no job of IoT consumed. IoT is newer than any other
 * job at the top, so that the empty page is all the walk has seen of it.
 */
async function firstPageAfterAnEmptyIotPage(stack: Stack): Promise<JobsAnswer['jobs']> {
  const iot = stack.simulators.iot;
  const ie = stack.simulators.importExport;
  if (!iot || !ie) throw new Error('both simulators are needed');
  // Newer than any other job, there before the walk starts and until it ends.
  iot.live.createJob({ jobId: 'newest-iot-job', createdAt: new Date('2027-01-01T00:00:00Z') });
  iot.quirks.emptyPages = true;
  ie.faults.set({ latencyMs: 300 });
  stack.resetCounters();
  const pending = stack.query(query('jobs'), {});
  // Once IoT has answered its empty page, it fails until further notice.
  for (let i = 0; i < 500 && (iot.counters.snapshot().byOperation.ListJobs ?? 0) < 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  iot.faults.set({ errorRate: 1 });
  const first = ((await pending).body.data as JobsAnswer).jobs;
  expect(first.unavailable).toMatchObject([{ source: 'IOT', code: 'UPSTREAM_UNAVAILABLE' }]);
  iot.faults.reset();
  ie.faults.reset();
  return first;
}

/** Follows `jobs` from `after` to its end; the keys delivered and every page's `unavailable`. */
async function walkJobsFrom(
  stack: Stack,
  after: string | null,
): Promise<{ seen: string[]; unavailable: JobsAnswer['jobs']['unavailable'] }> {
  const seen: string[] = [];
  const unavailable: JobsAnswer['jobs']['unavailable'] = [];
  for (let n = 0; n < 50 && after; n++) {
    const next = ((await stack.query(query('jobs'), { a: after })).body.data as JobsAnswer).jobs;
    seen.push(...next.edges.map((e) => `${e.node.source}:${e.node.jobId}`));
    unavailable.push(...next.unavailable);
    after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
  }
  return { seen, unavailable };
}

function allKeys(stack: Stack): string[] {
  return [
    ...(stack.simulators.iot?.live.jobs() ?? []).map((j) => `IOT:${j.jobId}`),
    ...(stack.simulators.importExport?.live.jobs() ?? []).map((j) => `IMPORT_EXPORT:${j.jobId}`),
  ];
}

describe('a source whose first answer is an empty page, and whose next call fails', () => {
  it('loses none of its jobs: only a source that showed its top gets a horizon', async () => {
    const stack = await startStack({ iotJobs: 20, importExportJobs: 20, maxAttempts: 1 });
    try {
      const first = await firstPageAfterAnEmptyIotPage(stack);
      const rest = await walkJobsFrom(stack, first.pageInfo.endCursor);
      const seen = [...first.edges.map((e) => `${e.node.source}:${e.node.jobId}`), ...rest.seen];
      expect(allKeys(stack).filter((key) => !seen.includes(key))).toEqual([]);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      await stack.close();
    }
  });

  it('its token refused: nothing of it was delivered, so it is read again from its start', async () => {
    const stack = await startStack({ iotJobs: 20, importExportJobs: 20, maxAttempts: 1 });
    try {
      const iot = stack.simulators.iot;
      if (!iot) throw new Error('the IoT simulator should run');
      const first = await firstPageAfterAnEmptyIotPage(stack);
      // The position this is about: a token, and no job of IoT behind it.
      const position = iotWire(first.pageInfo.endCursor);
      expect(position?.t).toEqual(expect.any(String));
      expect(position?.a).toBeUndefined();
      iot.refuseNextTokens(1);
      stack.resetCounters();
      const second = (
        (await stack.query(query('jobs'), { a: first.pageInfo.endCursor })).body.data as JobsAnswer
      ).jobs;
      expect(second.unavailable).toEqual([]);
      expect(second.edges.some((e) => e.node.source === 'IOT')).toBe(true);
      // The refused call, the list's start (an empty page again), the page of jobs after it, and
      // at most one more read of what the page lacks.
      expect(iot.counters.snapshot().byOperation.ListJobs).toBeLessThanOrEqual(4);
      const rest = await walkJobsFrom(stack, second.pageInfo.endCursor);
      expect(rest.unavailable).toEqual([]);
      const seen = [
        ...first.edges.map((e) => `${e.node.source}:${e.node.jobId}`),
        ...second.edges.map((e) => `${e.node.source}:${e.node.jobId}`),
        ...rest.seen,
      ];
      expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
      expect([...seen].sort()).toEqual(allKeys(stack).sort());
    } finally {
      await stack.close();
    }
  });

  it('refused again after the start was read: CURSOR_EXPIRED within a bounded number of calls', async () => {
    const stack = await startStack({ iotJobs: 20, importExportJobs: 20, maxAttempts: 1 });
    try {
      const iot = stack.simulators.iot;
      if (!iot) throw new Error('the IoT simulator should run');
      const first = await firstPageAfterAnEmptyIotPage(stack);
      // The cursor's token, then the one the empty page at the list's start gives.
      iot.refuseNextTokens(2);
      stack.resetCounters();
      const response = await stack.query(query('jobs'), { a: first.pageInfo.endCursor });
      const second = (response.body.data as JobsAnswer).jobs;
      expect(second.unavailable).toMatchObject([{ source: 'IOT', code: 'CURSOR_EXPIRED' }]);
      expect(second.edges.every((e) => e.node.source === 'IMPORT_EXPORT')).toBe(true);
      expect(iot.counters.snapshot().byOperation.ListJobs).toBe(3);
    } finally {
      await stack.close();
    }
  });
});
