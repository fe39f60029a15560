import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CURSOR_LENGTH } from '../src/pagination/cursor.js';
import { createDataset } from '../src/simulators/dataset.js';
import { type Stack, startStack, TEN_REGIONS } from './harness.js';
import { type MemoryJob, MemorySource } from './memory-source.js';

// Every IoT region in one connection: N-way merges over several simulated regions and
// Import/Export, selections by region and source, cursor sizes, time windows, a region down, ids
// of before regions, and a kind of source the gateway has never heard of.

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'];

interface Node {
  jobId: string;
  source: 'IOT' | 'IMPORT_EXPORT';
  region: string | null;
  createdAt: string;
}

interface Page {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  unavailable: { source: string; region: string | null; code: string }[];
}

const JOBS = `query Jobs($first: Int, $after: String, $sources: [JobSource!], $regions: [String!],
  $createdAfter: DateTime, $createdBefore: DateTime) {
  jobs(first: $first, after: $after, sources: $sources, regions: $regions,
    createdAfter: $createdAfter, createdBefore: $createdBefore) {
    edges { cursor node { jobId source createdAt ... on IotJob { region } } }
    pageInfo { hasNextPage endCursor }
    unavailable { source region code }
  }
}`;

const keyOf = (node: Node) => `${node.source}:${node.region ?? '-'}:${node.jobId}`;

async function jobsPage(stack: Stack, variables: Record<string, unknown>) {
  const response = await stack.query(JOBS, variables);
  expect(response.status).toBe(200);
  return {
    page: (response.body.data as { jobs: Page } | null | undefined)?.jobs as Page,
    errors: response.body.errors ?? [],
  };
}

async function walkJobs(
  stack: Stack,
  sizes: readonly number[],
  variables: Record<string, unknown> = {},
): Promise<{ nodes: Node[]; cursors: string[] }> {
  const nodes: Node[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  for (let n = 0; n < 1000; n++) {
    const { page, errors } = await jobsPage(stack, {
      ...variables,
      first: sizes[n % sizes.length],
      after,
    });
    expect(errors).toEqual([]);
    for (const edge of page.edges) {
      nodes.push(edge.node);
      cursors.push(edge.cursor);
    }
    if (!page.pageInfo.hasNextPage) return { nodes, cursors };
    after = page.pageInfo.endCursor;
    cursors.push(after as string);
  }
  throw new Error('the walk did not end');
}

function expectNewestFirst(nodes: readonly Node[]): void {
  for (let i = 1; i < nodes.length; i++) {
    expect(Date.parse(nodes[i]?.createdAt as string)).toBeLessThanOrEqual(
      Date.parse(nodes[i - 1]?.createdAt as string),
    );
  }
}

/** What the simulators hold now, as keys, for the selected sources and regions. */
function expectedKeys(
  stack: Stack,
  regions: readonly string[],
  sources: readonly string[],
): string[] {
  const keys: string[] = [];
  if (sources.includes('IOT')) {
    for (const region of regions) {
      for (const job of stack.simulators.iotByRegion.get(region)?.live.jobs() ?? []) {
        keys.push(`IOT:${region}:${job.jobId}`);
      }
    }
  }
  if (sources.includes('IMPORT_EXPORT')) {
    for (const job of stack.simulators.importExport?.live.jobs() ?? []) {
      keys.push(`IMPORT_EXPORT:-:${job.jobId}`);
    }
  }
  return keys.sort();
}

describe('five regions and Import/Export', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotRegions: REGIONS, iotJobs: 0, importExportJobs: 0 });
  });
  afterAll(() => stack.close());

  it('jobs yields every job of every selected region exactly once, newest first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(REGIONS, { minLength: 1 }),
        fc.constantFrom(['IOT'], ['IMPORT_EXPORT'], ['IOT', 'IMPORT_EXPORT']),
        fc.array(fc.nat(30), { minLength: REGIONS.length, maxLength: REGIONS.length }),
        fc.nat(20),
        fc.nat(10_000),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 }),
        async (regions, sources, counts, ieCount, seed, sizes) => {
          REGIONS.forEach((region, i) => {
            stack.simulators.iotByRegion.get(region)?.live.reset(
              createDataset({
                seed: seed + i,
                iotJobs: counts[i] ?? 0,
                importExportJobs: 0,
                region,
              }),
            );
          });
          stack.simulators.importExport?.live.reset(
            createDataset({ seed, iotJobs: 0, importExportJobs: ieCount }),
          );
          const { nodes, cursors } = await walkJobs(stack, sizes, { regions, sources });
          const seen = nodes.map(keyOf);
          expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
          expect([...seen].sort()).toEqual(expectedKeys(stack, regions, sources));
          expectNewestFirst(nodes);
          for (const cursor of cursors) expect(cursor.length).toBeLessThan(MAX_CURSOR_LENGTH);
        },
      ),
      { numRuns: Number(process.env.REGION_RUNS ?? 20) },
    );
  }, 120_000);

  it('iotJobs over several regions merges them; one region reads that region alone', async () => {
    REGIONS.forEach((region, i) =>
      stack.simulators.iotByRegion
        .get(region)
        ?.live.reset(createDataset({ seed: 3 + i, iotJobs: 12, importExportJobs: 0, region })),
    );
    const query = `query($regions: [String!], $after: String) { iotJobs(first: 8, regions: $regions, after: $after) {
      edges { node { jobId region createdAt } } pageInfo { hasNextPage endCursor } } }`;
    for (const regions of [['eu-west-1'], ['us-east-1', 'ap-southeast-2']]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const response: { body: { data?: unknown; errors?: unknown } } = await stack.query(query, {
          regions,
          after,
        });
        expect(response.body.errors).toBeUndefined();
        const data: Page = (response.body.data as { iotJobs: Page }).iotJobs;
        seen.push(...data.edges.map((e) => `${e.node.region}:${e.node.jobId}`));
        if (!data.pageInfo.hasNextPage) break;
        after = data.pageInfo.endCursor;
      }
      expect(seen.sort()).toEqual(
        regions
          .flatMap((r) =>
            (stack.simulators.iotByRegion.get(r)?.live.jobs() ?? []).map((j) => `${r}:${j.jobId}`),
          )
          .sort(),
      );
    }
  });

  it('refuses a region that is not configured, and an empty list, before any call', async () => {
    stack.resetCounters();
    for (const regions of [['mars-north-1'], [], ['us-east-1', 'nope']]) {
      const { errors } = await jobsPage(stack, { first: 5, regions });
      expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });
});

describe('cursor sizes', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const ten = TEN_REGIONS;

  for (const [label, regions, limit] of [
    ['three regions and Import/Export: under 1 KB', ten.slice(0, 3), 1024],
    ['ten regions and Import/Export: under the cursor limit', ten, MAX_CURSOR_LENGTH],
  ] as const) {
    it(label, async () => {
      stack = await startStack({ iotRegions: regions, iotJobs: 25, importExportJobs: 25 });
      const { cursors } = await walkJobs(stack, [7]);
      const longest = Math.max(...cursors.map((c) => c.length));
      expect(longest).toBeLessThan(limit);
    });
  }
});

describe('time windows', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const HOUR = 3_600_000;

  it('the last 24 hours: exactly the jobs in the window, and no upstream call past its edge', async () => {
    stack = await startStack({
      iotRegions: REGIONS.slice(0, 3),
      iotJobs: 200,
      importExportJobs: 100,
    });
    const now = Date.now();
    const recent: string[] = [];
    for (const [i, region] of REGIONS.slice(0, 3).entries()) {
      for (let h = 1; h <= 3 + i; h++) {
        const job = stack.simulators.iotByRegion.get(region)?.live.createJob({
          createdAt: new Date(now - h * 4 * HOUR),
        });
        recent.push(`IOT:${region}:${job?.jobId}`);
      }
    }
    const ieJob = stack.simulators.importExport?.live.createJob({
      createdAt: new Date(now - 2 * HOUR),
    });
    recent.push(`IMPORT_EXPORT:-:${ieJob?.jobId}`);
    const createdAfter = new Date(now - 24 * HOUR).toISOString();
    stack.resetCounters();
    const { nodes } = await walkJobs(stack, [20], { createdAfter });
    expect(nodes.map(keyOf).sort()).toEqual(recent.sort());
    expectNewestFirst(nodes);
    // One page, one list call per source: reading stopped at the first job older than the window.
    for (const sim of stack.simulators.iotByRegion.values()) {
      expect(sim.counters.snapshot().byOperation.ListJobs).toBe(1);
    }
    expect(stack.simulators.importExport?.counters.snapshot().byOperation.ListJobs).toBe(1);
  });

  it('a window in the past: exactly its jobs, reading down to it and barely past it', async () => {
    stack = await startStack({ iotJobs: 400, importExportJobs: 150 });
    const from = Date.parse('2022-01-01T00:00:00Z');
    const to = Date.parse('2023-01-01T00:00:00Z');
    const inWindow = (t: Date) => t.getTime() >= from && t.getTime() < to;
    const expected = [
      ...(stack.simulators.iot?.live.jobs() ?? [])
        .filter((j) => inWindow(j.createdAt))
        .map((j) => `IOT:us-east-1:${j.jobId}`),
      ...(stack.simulators.importExport?.live.jobs() ?? [])
        .filter((j) => inWindow(j.createdAt))
        .map((j) => `IMPORT_EXPORT:-:${j.jobId}`),
    ].sort();
    stack.resetCounters();
    const { nodes } = await walkJobs(stack, [10], {
      createdAfter: new Date(from).toISOString(),
      createdBefore: new Date(to).toISOString(),
    });
    expect(nodes.map(keyOf).sort()).toEqual(expected);
    expectNewestFirst(nodes);
    // Reading went down to the window and through it, and barely past its edge.
    const listed = stack.simulators.iot?.counters.snapshot().listed ?? 0;
    const older = (stack.simulators.iot?.live.jobs() ?? []).filter(
      (j) => j.createdAt.getTime() < from,
    ).length;
    // Everything down to the window's far edge is read once, plus a few short pages of slack
    // (the seek aims just short of the window; the page that crosses its edge).
    expect(listed).toBeLessThan(400 - older + 100);
  });

  it('iotJobs and importExportJobs take windows too; a window the wrong way round is refused', async () => {
    stack = await startStack({ iotJobs: 50, importExportJobs: 50 });
    const after = '2024-01-01T00:00:00.000Z';
    for (const [field, source] of [
      ['iotJobs', 'IOT'],
      ['importExportJobs', 'IMPORT_EXPORT'],
    ] as const) {
      const response = await stack.query(
        `query($a: DateTime) { ${field}(first: 100, createdAfter: $a) { edges { node { createdAt } } } }`,
        { a: after },
      );
      const edges =
        (response.body.data as Record<string, { edges: { node: { createdAt: string } }[] }>)[field]
          ?.edges ?? [];
      const sims =
        source === 'IOT'
          ? stack.simulators.iot?.live.jobs()
          : stack.simulators.importExport?.live.jobs();
      expect(edges).toHaveLength(
        (sims ?? []).filter((j) => j.createdAt.getTime() >= Date.parse(after)).length,
      );
    }
    const wrong = await jobsPage(stack, {
      createdAfter: after,
      createdBefore: '2023-01-01T00:00:00.000Z',
    });
    expect(wrong.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

const FAULTS = ['error', 'throttle', 'hang', 'malformed'] as const;

function faultOf(fault: (typeof FAULTS)[number]) {
  return fault === 'error'
    ? { errorRate: 1 }
    : fault === 'throttle'
      ? { throttleRate: 1 }
      : fault === 'hang'
        ? { hang: true }
        : { malformedRate: 1 };
}

// The hung region is cut at 1 s: long enough that a healthy one answers on a loaded machine.
describe('one region down', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  for (const fault of FAULTS) {
    it(`${fault}: the others answer, the region is named with a code, the walk completes after`, async () => {
      stack = await startStack({
        iotRegions: REGIONS.slice(0, 3),
        iotJobs: 30,
        importExportJobs: 20,
        maxAttempts: 1,
        upstreamTimeoutMs: 1000,
      });
      const down = stack.simulators.iotByRegion.get('eu-west-1');
      down?.faults.set(faultOf(fault));
      const nodes: Node[] = [];
      let after: string | null = null;
      for (let n = 0; n < 3; n++) {
        const { page, errors } = await jobsPage(stack, { first: 10, after });
        expect(page.unavailable).toHaveLength(1);
        expect(page.unavailable[0]).toMatchObject({ source: 'IOT', region: 'eu-west-1' });
        expect(errors[0]?.extensions).toMatchObject({ source: 'IOT', region: 'eu-west-1' });
        expect(errors[0]?.extensions?.code).toBe(page.unavailable[0]?.code);
        expect(page.edges).toHaveLength(10);
        nodes.push(...page.edges.map((e) => e.node));
        after = page.pageInfo.endCursor;
      }
      down?.faults.reset();
      for (let n = 0; n < 100 && after; n++) {
        const { page, errors } = await jobsPage(stack, { first: 10, after });
        expect(errors).toEqual([]);
        nodes.push(...page.edges.map((e) => e.node));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      }
      const seen = nodes.map(keyOf);
      expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
      expect([...seen].sort()).toEqual(
        expectedKeys(stack, REGIONS.slice(0, 3), ['IOT', 'IMPORT_EXPORT']),
      );
    });
  }
});

describe('iotJobs over two regions, one of them down', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      iotRegions: REGIONS.slice(0, 3),
      iotJobs: 25,
      importExportJobs: 5,
      maxAttempts: 1,
      upstreamTimeoutMs: 1000,
    });
  });
  afterAll(() => stack.close());
  afterEach(() => {
    for (const sim of stack.simulators.iotByRegion.values()) sim.faults.reset();
  });

  const IOT_JOBS = `query($regions: [String!], $after: String) {
    iotJobs(first: 10, regions: $regions, after: $after) {
      edges { node { jobId region } }
      pageInfo { hasNextPage endCursor }
      unavailable { source region code }
      unavailableSources
    }
  }`;
  interface IotPage {
    edges: { node: { jobId: string; region: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    unavailable: { source: string; region: string | null; code: string }[];
    unavailableSources: string[];
  }
  const regions = ['us-east-1', 'eu-west-1'];

  for (const fault of FAULTS) {
    it(`${fault}: the other region answers, the region is named with a code, the walk completes once after`, async () => {
      const down = stack.simulators.iotByRegion.get('eu-west-1');
      down?.faults.set(faultOf(fault));
      stack.resetCounters();
      const seen: string[] = [];
      let after: string | null = null;
      for (let n = 0; n < 2; n++) {
        const response = await stack.query(IOT_JOBS, { regions, after });
        const page = (response.body.data as { iotJobs: IotPage | null }).iotJobs as IotPage;
        const errors = response.body.errors ?? [];
        expect(page.edges.length).toBeGreaterThan(0);
        expect(page.edges.every((e) => e.node.region === 'us-east-1')).toBe(true);
        expect(page.unavailable).toEqual([
          { source: 'IOT', region: 'eu-west-1', code: errors[0]?.extensions?.code },
        ]);
        expect(page.unavailableSources).toEqual(['IOT']);
        expect(errors).toHaveLength(1);
        expect(errors[0]?.path).toEqual(['iotJobs']);
        expect(errors[0]?.extensions).toMatchObject({ source: 'IOT', region: 'eu-west-1' });
        expect(errors[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
        seen.push(...page.edges.map((e) => `${e.node.region}:${e.node.jobId}`));
        expect(page.pageInfo.hasNextPage).toBe(true);
        after = page.pageInfo.endCursor;
      }
      down?.faults.reset();
      for (let n = 0; n < 100 && after; n++) {
        const response = await stack.query(IOT_JOBS, { regions, after });
        expect(response.body.errors).toBeUndefined();
        const page = (response.body.data as { iotJobs: IotPage }).iotJobs;
        expect(page.unavailable).toEqual([]);
        seen.push(...page.edges.map((e) => `${e.node.region}:${e.node.jobId}`));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      }
      expect(after).toBeNull();
      expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
      expect([...seen].sort()).toEqual(
        regions
          .flatMap((r) =>
            (stack.simulators.iotByRegion.get(r)?.live.jobs() ?? []).map((j) => `${r}:${j.jobId}`),
          )
          .sort(),
      );
      // The region not selected was never read, and Import/Export neither.
      const unselected = stack.simulators.iotByRegion.get('ap-southeast-2');
      expect(unselected?.counters.snapshot().total).toBe(0);
      expect(stack.simulators.importExport?.counters.snapshot().total).toBe(0);
    });
  }
});

describe('ids and cursors from before regions', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      iotRegions: ['eu-west-1', 'us-east-1'],
      iotJobs: 10,
      importExportJobs: 5,
    });
  });
  afterAll(() => stack.close());

  it('an IotJob id without a region names a job of the default region; ids now carry the region', async () => {
    const job = stack.simulators.iotByRegion.get('eu-west-1')?.live.jobs()[0];
    const old = Buffer.from(`IotJob:${job?.jobId}`).toString('base64url');
    const response = await stack.query(
      'query($id: ID!) { node(id: $id) { id ... on IotJob { jobId region } } }',
      { id: old },
    );
    expect(response.body.errors).toBeUndefined();
    const node = (response.body.data as { node: { id: string; jobId: string; region: string } })
      .node;
    expect(node).toMatchObject({ jobId: job?.jobId, region: 'eu-west-1' });
    expect(Buffer.from(node.id, 'base64url').toString()).toBe(`IotJob:eu-west-1/${job?.jobId}`);
    // The same job id in another region is another job.
    const other = stack.simulators.iotByRegion.get('us-east-1')?.live.jobs()[0];
    const id = Buffer.from(`IotJob:us-east-1/${other?.jobId}`).toString('base64url');
    const again = await stack.query(
      'query($id: ID!) { node(id: $id) { ... on IotJob { jobId region } } }',
      { id },
    );
    expect((again.body.data as { node: unknown }).node).toEqual({
      jobId: other?.jobId,
      region: 'us-east-1',
    });
  });

  it('a cursor of the version before positions is refused with BAD_USER_INPUT, before any call', async () => {
    const old = `c1.${Buffer.from('{"f":"jobs","a":"x","i":{"t":null,"k":3},"x":{"m":null}}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`;
    stack.resetCounters();
    const { errors } = await jobsPage(stack, { first: 5, after: old });
    expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });
});

describe('a kind of source registered by this test alone', () => {
  // MemorySource (memory-source.ts) implements the adapter interface and nothing else: its key in
  // cursors is its own (MEMORY:mem-1), it lists and fetches from memory, and no upstream client
  // knows its region. The schema's job types are fixed, so its jobs show as IotJob of region
  // mem-1 with source IOT; their node ids name that region, by which the registry finds it.
  const JOB_FIELDS = `id ... on Job { jobId source createdAt isCanceled } ... on IotJob { region
    jobArn thingGroupId targetSelection rawTargetSelection status rawStatus lastUpdatedAt
    completedAt isConcurrent }`;

  it('pages through its jobs merged with the others exactly once, and refetches them by id', async () => {
    const memory = new MemorySource({ region: 'mem-1' });
    const jobs: MemoryJob[] = Array.from({ length: 45 }, (_, i) => ({
      jobId: `mem-${i}`,
      createdAt: Date.parse('2019-01-01T00:00:00Z') + i * 50_000_000_00,
      rank: i,
    }));
    memory.reset(jobs);
    const stack = await startStack({ iotJobs: 40, importExportJobs: 20, extraSources: [memory] });
    try {
      const { nodes, cursors } = await walkJobs(stack, [6, 11]);
      const seen = nodes.map(keyOf);
      expect(seen.filter((key, i) => seen.indexOf(key) !== i)).toEqual([]);
      expect([...seen].sort()).toEqual(
        [
          ...expectedKeys(stack, ['us-east-1'], ['IOT', 'IMPORT_EXPORT']),
          ...jobs.map((j) => `IOT:mem-1:${j.jobId}`),
        ].sort(),
      );
      expectNewestFirst(nodes);
      // Its position travels in the cursors under its own key, beside the two upstreams'.
      const keys = (cursor: string) =>
        Object.keys(
          (
            JSON.parse(Buffer.from(cursor.split('.')[1] ?? '', 'base64url').toString()) as {
              p: Record<string, unknown>;
            }
          ).p,
        ).sort();
      expect(keys(cursors[0] as string)).toEqual([
        'IMPORT_EXPORT',
        'IOT:us-east-1',
        'MEMORY:mem-1',
      ]);
      const only = await walkJobs(stack, [10], { regions: ['mem-1'], sources: ['IOT'] });
      expect(only.nodes.map((n) => n.jobId).sort()).toEqual(jobs.map((j) => j.jobId).sort());

      // node(id:) and nodes(ids:) find it through the registry: the same fields, no upstream call.
      const listed = await stack.query(
        `query { jobs(first: 50, regions: ["mem-1"], sources: [IOT]) { edges { node { ${JOB_FIELDS} } } } }`,
      );
      expect(listed.body.errors).toBeUndefined();
      const mine = (
        listed.body.data as { jobs: { edges: { node: { id: string; jobId: string } }[] } }
      ).jobs.edges.map((e) => e.node);
      expect(mine).toHaveLength(jobs.length);
      expect(Buffer.from(mine[0]?.id ?? '', 'base64url').toString()).toBe(
        `IotJob:mem-1/${mine[0]?.jobId}`,
      );
      stack.resetCounters();
      const one = await stack.query(`query($id: ID!) { node(id: $id) { ${JOB_FIELDS} } }`, {
        id: mine[7]?.id,
      });
      expect(one.body.errors).toBeUndefined();
      expect((one.body.data as { node: unknown }).node).toEqual(mine[7]);
      const missing = Buffer.from('IotJob:mem-1/no-such-job').toString('base64url');
      const many = await stack.query(`query($ids: [ID!]!) { nodes(ids: $ids) { ${JOB_FIELDS} } }`, {
        ids: [mine[0]?.id, missing, mine[44]?.id],
      });
      expect(many.body.errors).toBeUndefined();
      expect((many.body.data as { nodes: unknown }).nodes).toEqual([mine[0], null, mine[44]]);
      // DescribeJob is IoT's: a job of another source shown as IotJob has no details to give.
      const details = await stack.query(
        `query($id: ID!) { node(id: $id) { ... on IotJob { jobId details { description } } } }`,
        { id: mine[3]?.id },
      );
      expect(details.body.errors).toBeUndefined();
      expect((details.body.data as { node: unknown }).node).toEqual({
        jobId: mine[3]?.jobId,
        details: null,
      });
      expect(memory.fetched).toBe(5);
      expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
    } finally {
      await stack.close();
    }
  });
});
