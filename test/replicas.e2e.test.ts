import { print } from 'graphql';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createDataset } from '../src/simulators/dataset.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';
import { killGateways, startGateway } from './gateway-process.js';
import type { JobFieldsFragment } from './gql/graphql.js';
import { JobsPage } from './operations.js';
import { killRedisServers, type RedisServer, startRedisServer } from './redis-server.js';
import { keyOf } from './walk.js';

// Several replicas of the gateway, each its own process, sharing one Redis (a real redis-server)
// and one pair of simulators: what they read upstream together, a walk that moves between them,
// and what happens to them when Redis goes away or hangs.

afterAll(() => {
  killGateways();
  killRedisServers();
});

type Replica = Awaited<ReturnType<typeof startGateway>>;

let redis: RedisServer;
let simulators: Simulators;
/** PAGE_CACHE_TTL_MS and DETAIL_CACHE_TTL_MS on. */
let cached: [Replica, Replica];
/** No cache: coalescing alone. */
let coalescing: [Replica, Replica];

const PAGE = print(JobsPage);
const IOT_JOBS = 60;
const IMPORT_EXPORT_JOBS = 40;
const REDIS_TIMEOUT_MS = 1000;

beforeAll(async () => {
  redis = await startRedisServer();
  simulators = await startSimulators({
    data: { seed: 42, iotJobs: IOT_JOBS, importExportJobs: IMPORT_EXPORT_JOBS },
    credentials: {
      accessKeyId: SIMULATOR_ACCESS_KEY_ID,
      secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
    },
  });
  const env = (cache: boolean) => ({
    IOT_ENDPOINT: simulators.iot?.url as string,
    IMPORT_EXPORT_ENDPOINT: simulators.importExport?.url as string,
    AWS_ACCESS_KEY_ID: SIMULATOR_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SIMULATOR_SECRET_ACCESS_KEY,
    CURSOR_SECRET: 'replicas-test-cursor-secret-0123',
    LOG_LEVEL: 'error',
    REDIS_URL: redis.url,
    // Room for a machine busy with the rest of the suite: a Redis answer later than this counts
    // as Redis failing, which the outage tests cover on purpose.
    REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS),
    ...(cache ? { PAGE_CACHE_TTL_MS: '60000', DETAIL_CACHE_TTL_MS: '60000' } : {}),
  });
  const started = await Promise.all([
    startGateway(env(true)),
    startGateway(env(true)),
    startGateway(env(false)),
    startGateway(env(false)),
  ]);
  cached = [started[0] as Replica, started[1] as Replica];
  coalescing = [started[2] as Replica, started[3] as Replica];
}, 60_000);

afterAll(async () => {
  await simulators?.close();
});

interface Answer {
  readonly status: number;
  readonly nodes: JobFieldsFragment[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly errors: unknown[];
}

async function jobsPage(replica: Replica, variables: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: PAGE, variables }),
  });
  const body = (await response.json()) as {
    data?: {
      jobs?: {
        edges: { node: JobFieldsFragment }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    errors?: unknown[];
  };
  return {
    status: response.status,
    nodes: body.data?.jobs?.edges.map((e) => e.node) ?? [],
    hasNextPage: body.data?.jobs?.pageInfo.hasNextPage ?? false,
    endCursor: body.data?.jobs?.pageInfo.endCursor ?? null,
    errors: body.errors ?? [],
  };
}

function listCalls(): { iot: number; importExport: number } {
  return {
    iot: simulators.iot?.counters.snapshot().byOperation.ListJobs ?? 0,
    importExport: simulators.importExport?.counters.snapshot().byOperation.ListJobs ?? 0,
  };
}

function resetCounters(): void {
  simulators.iot?.counters.reset();
  simulators.importExport?.counters.reset();
}

function resetData(seed: number, iotJobs = IOT_JOBS, importExportJobs = IMPORT_EXPORT_JOBS) {
  const dataset = createDataset({ seed, iotJobs, importExportJobs });
  simulators.iot?.live.reset(dataset);
  simulators.importExport?.live.reset(dataset);
}

async function flushRedis(): Promise<void> {
  expect(await redis.command('FLUSHALL')).toBe('+OK\r\n');
}

/** The expected first page of `jobs(first: 20)`: newest first over both sources. */
function newestKeys(n: number): string[] {
  const all = [
    ...(simulators.iot?.live.jobs() ?? []).map((j) => ({ key: `IOT:${j.jobId}`, at: j.createdAt })),
    ...(simulators.importExport?.live.jobs() ?? []).map((j) => ({
      key: `IMPORT_EXPORT:${j.jobId}`,
      at: j.createdAt,
    })),
  ];
  all.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.key < b.key ? -1 : 1));
  return all.slice(0, n).map((j) => j.key);
}

/** 100 identical `jobs(first: 20)` at once, alternating between the two replicas. */
async function hundredAtOnce(pair: [Replica, Replica]): Promise<Answer[]> {
  return Promise.all(
    Array.from({ length: 100 }, (_, i) => jobsPage(pair[i % 2] as Replica, { first: 20 })),
  );
}

function expectComplete(answers: readonly Answer[], expected: readonly string[]): void {
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([]);
    expect(answer.nodes.map(keyOf)).toEqual(expected);
  }
}

/** Upstreams that take `latencyMs` for the tests of the describe block that calls this. */
function slowUpstreams(latencyMs = 400): void {
  beforeAll(() => {
    simulators.iot?.faults.set({ latencyMs });
    simulators.importExport?.faults.set({ latencyMs });
  });
  afterAll(() => {
    simulators.iot?.faults.reset();
    simulators.importExport?.faults.reset();
  });
}

describe('100 identical concurrent queries over two replicas', () => {
  // Upstreams slow enough that all 100 are in flight together, as dashboards opening at once are.
  slowUpstreams();

  it('cost at most one list call per source with the page cache on', async () => {
    resetData(1);
    await flushRedis();
    resetCounters();
    const answers = await hundredAtOnce(cached);
    expectComplete(answers, newestKeys(20));
    const calls = listCalls();
    expect(calls.iot).toBe(1);
    expect(calls.importExport).toBe(1);
    // And later ones, on either replica, cost nothing upstream while the pages are fresh.
    expectComplete(await hundredAtOnce(cached), newestKeys(20));
    expect(listCalls()).toEqual(calls);
  });

  it('cost at most one list call per source per replica with coalescing alone', async () => {
    resetData(2);
    resetCounters();
    const answers = await hundredAtOnce(coalescing);
    expectComplete(answers, newestKeys(20));
    const calls = listCalls();
    expect(calls.iot).toBeGreaterThanOrEqual(1);
    expect(calls.iot).toBeLessThanOrEqual(2);
    expect(calls.importExport).toBeGreaterThanOrEqual(1);
    expect(calls.importExport).toBeLessThanOrEqual(2);
    // Nothing is kept once the reads are done: the next identical burst reads again.
    resetCounters();
    expectComplete(await hundredAtOnce(coalescing), newestKeys(20));
    expect(listCalls().iot).toBeGreaterThanOrEqual(1);
  });
});

describe('details through the shared cache', () => {
  it('DescribeJob and GetStatus read on one replica are served to the other', async () => {
    resetData(7);
    await flushRedis();
    const query = `{ jobs(first: 10) { edges { node {
      jobId
      ... on IotJob { details { description targets } }
      ... on ImportExportJob { shipment: status { progressCode trackingNumber } }
    } } } }`;
    const ask = async (replica: Replica) => {
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data?: unknown; errors?: unknown[] };
    };
    resetCounters();
    const first = await ask(cached[0]);
    expect(first.errors).toBeUndefined();
    const details = () =>
      (simulators.iot?.counters.snapshot().byOperation.DescribeJob ?? 0) +
      (simulators.importExport?.counters.snapshot().byOperation.GetStatus ?? 0);
    expect(details()).toBe(10);
    const second = await ask(cached[1]);
    expect(second).toEqual(first);
    expect(details()).toBe(10);
  });
});

describe('a request that goes away', () => {
  slowUpstreams();

  it('does not cancel the read for the requests still waiting for it', async () => {
    resetData(4);
    resetCounters();
    const replica = coalescing[0];
    const leaving = new AbortController();
    const gone = fetch(replica.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: PAGE, variables: { first: 20 } }),
      signal: leaving.signal,
    }).catch((error: unknown) => error);
    await sleep(100);
    const staying = jobsPage(replica, { first: 20 });
    await sleep(100);
    leaving.abort();
    expect(await gone).toBeInstanceOf(Error);
    expectComplete([await staying], newestKeys(20));
    expect(listCalls()).toEqual({ iot: 1, importExport: 1 });
  });
});

type Change = {
  readonly kind: 'create' | 'cancel' | 'delete';
  readonly iot: boolean;
  readonly pick: number;
};

function apply(change: Change, touched: Set<string>): void {
  const iot = simulators.iot;
  const ie = simulators.importExport;
  if (!iot || !ie) throw new Error('both simulators are needed');
  const prefix = change.iot ? 'IOT' : 'IMPORT_EXPORT';
  if (change.kind === 'create') {
    const created = change.iot ? iot.live.createJob() : ie.live.createJob();
    touched.add(`${prefix}:${created.jobId}`);
    return;
  }
  const jobs = change.iot ? iot.live.jobs() : ie.live.jobs();
  const victim = jobs[change.pick % Math.max(1, jobs.length)];
  if (!victim) return;
  if (change.kind === 'delete') {
    if (change.iot ? iot.live.deleteJob(victim.jobId) : ie.live.deleteJob(victim.jobId)) {
      touched.add(`${prefix}:${victim.jobId}`);
    }
  } else if (change.iot) iot.live.cancelJob(victim.jobId);
  else ie.live.cancelJob(victim.jobId);
}

function currentKeys(): Set<string> {
  return new Set([
    ...(simulators.iot?.live.jobs() ?? []).map((j) => `IOT:${j.jobId}`),
    ...(simulators.importExport?.live.jobs() ?? []).map((j) => `IMPORT_EXPORT:${j.jobId}`),
  ]);
}

/** A walk of `jobs`, page n on replica n mod 2, making `plan[n]` changes before page n. */
async function walk(
  sizes: readonly number[],
  plan: readonly (readonly Change[])[],
  touched: Set<string>,
): Promise<JobFieldsFragment[]> {
  const delivered: JobFieldsFragment[] = [];
  let after: string | null = null;
  for (let n = 0; n < 300; n++) {
    for (const change of plan[n] ?? []) apply(change, touched);
    const answer = await jobsPage(cached[n % 2] as Replica, {
      first: sizes[n % sizes.length],
      after,
    });
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([]);
    delivered.push(...answer.nodes);
    if (answer.hasNextPage) expect(answer.endCursor).not.toBeNull();
    if (!answer.hasNextPage) return delivered;
    after = answer.endCursor;
  }
  throw new Error('the walk did not end');
}

const changeArb: fc.Arbitrary<Change> = fc.record({
  kind: fc.constantFrom('create' as const, 'cancel' as const, 'delete' as const),
  iot: fc.boolean(),
  pick: fc.nat(500),
});

describe('a walk alternating replicas with the page cache on', () => {
  it('yields every job exactly once', async () => {
    resetData(3);
    await flushRedis();
    const delivered = await walk([7, 13, 3], [], new Set());
    const keys = delivered.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...currentKeys()].sort());
  });

  it('on a changing list, over pages cached by an earlier walk with other sizes: every job that exists throughout exactly once, nothing twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(10_000),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.array(fc.array(changeArb, { maxLength: 3 }), { maxLength: 20 }),
        async (seed, warmSizes, ownSizes, sameSizes, plan) => {
          // The same sizes read the very pages the earlier walk cached; others mix cached pages
          // with pages read upstream now.
          const sizes = sameSizes ? warmSizes : ownSizes;
          resetData(seed, 30, 20);
          await flushRedis();
          // What exists when the cache starts filling: the walk below may be served pages as
          // they were then (up to the TTL ago), so "throughout" starts here.
          const initial = currentKeys();
          const touched = new Set<string>();
          await walk(warmSizes, [], touched);
          const delivered = (await walk(sizes, plan, touched)).map(keyOf);
          expect(delivered.filter((key, i) => delivered.indexOf(key) !== i)).toEqual([]);
          const seen = new Set(delivered);
          const throughout = [...initial].filter((key) => !touched.has(key));
          expect(throughout.filter((key) => !seen.has(key))).toEqual([]);
          for (const key of seen) expect(initial.has(key) || touched.has(key)).toBe(true);
        },
      ),
      { numRuns: Number(process.env.LIVE_RUNS ?? 8) },
    );
  }, 120_000);
});

async function metric(replica: Replica, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${replica.base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      if (labels === '' || line.includes(labels))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

async function readiness(
  replica: Replica,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${replica.base}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface TimedAnswer extends Answer {
  /** From sending the request to reading the whole answer. */
  readonly ms: number;
}

/** Clients sending `jobs(first: 20)` back to back, alternating replicas, until stopped. */
function load(pair: [Replica, Replica], clients: number) {
  const answers: TimedAnswer[] = [];
  let stopped = false;
  const running = Array.from({ length: clients }, async (_, i) => {
    for (let n = i; !stopped; n++) {
      const sent = performance.now();
      const answer = await jobsPage(pair[n % 2] as Replica, { first: 20 });
      answers.push({ ...answer, ms: performance.now() - sent });
    }
  });
  return {
    answers,
    async stop() {
      stopped = true;
      await Promise.all(running);
      return answers;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Caching works across the replicas: a page read on one is served to the other from Redis with no
 * upstream call. Each probe uses a page size of its own, so that it starts from a miss.
 */
async function sharedCachingWorks(probe: number): Promise<boolean> {
  const first = 30 + (probe % 60);
  resetCounters();
  const a = await jobsPage(cached[0], { first });
  const afterFirst = listCalls();
  const b = await jobsPage(cached[1], { first });
  const afterSecond = listCalls();
  expect(a.errors).toEqual([]);
  expect(b.nodes.map(keyOf)).toEqual(a.nodes.map(keyOf));
  return (
    afterFirst.iot + afterFirst.importExport > 0 &&
    afterSecond.iot === afterFirst.iot &&
    afterSecond.importExport === afterFirst.importExport
  );
}

async function eventually(check: (attempt: number) => Promise<boolean>, withinMs: number) {
  const deadline = Date.now() + withinMs;
  for (let attempt = 0; ; attempt++) {
    if (await check(attempt)) return attempt;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await sleep(200);
  }
}

/** Upstream latency during the outage tests: long enough for the replicas to meet on a read. */
const OUTAGE_LATENCY_MS = 50;

/**
 * On time through a Redis outage. A request may wait out one Redis timeout (it sent a command just
 * before Redis froze, or it is the one probing Redis after a rest), never more, and never the
 * wait for another replica's read (up to UPSTREAM_TIMEOUT_MS + 250 ms): the slowest answer stays
 * under one timeout plus the upstream's latency, with a wide margin for a busy machine. And most
 * answers wait no timeout at all: a Redis that hangs is left alone, not waited for on every read
 * (were it waited for, every answer would take a timeout or more).
 */
function expectOnTime(answers: readonly TimedAnswer[]): void {
  const slowest = Math.max(...answers.map((a) => a.ms));
  const waited = answers.filter((a) => a.ms >= REDIS_TIMEOUT_MS).length;
  console.info(
    `redis outage: ${answers.length} answers, slowest ${slowest.toFixed(0)} ms, ${waited} took ${REDIS_TIMEOUT_MS} ms or more`,
  );
  expect(slowest).toBeLessThan(OUTAGE_LATENCY_MS + REDIS_TIMEOUT_MS + 2000);
  expect(waited).toBeLessThan(answers.length / 2);
}

describe('Redis is never a single point of failure', () => {
  slowUpstreams(OUTAGE_LATENCY_MS);

  it('stopped during load, then started again: no 5xx, every answer complete, caching resumes without a restart', async () => {
    resetData(5);
    await flushRedis();
    const expected = newestKeys(20);
    const errorsBefore = await metric(
      cached[0],
      'jobs_gateway_redis_errors_total',
      'reason="unavailable"',
    );
    const traffic = load(cached, 8);
    await sleep(500);
    await redis.stop();
    await sleep(1500);
    // Ready all along: Redis is reported, degraded, and never makes the gateway unready.
    for (const replica of cached) {
      const ready = await readiness(replica);
      expect(ready.status).toBe(200);
      expect(ready.body.ready).toBe(true);
      expect((ready.body.redis as { state: string }).state).toBe('degraded');
    }
    await redis.start();
    await sleep(1500);
    const answers = await traffic.stop();
    expectOnTime(answers);
    expect(answers.length).toBeGreaterThan(20);
    expectComplete(answers, expected);
    // Both replicas found Redis again by themselves.
    await eventually(sharedCachingWorks, 10_000);
    for (const replica of cached) {
      expect(((await readiness(replica)).body.redis as { state: string }).state).toBe('ok');
    }
    expect(await metric(cached[0], 'jobs_gateway_redis_errors_total')).toBeGreaterThan(
      errorsBefore,
    );
    expect(await metric(cached[0], 'jobs_gateway_redis_up')).toBe(1);
    expect(
      await metric(cached[1], 'jobs_gateway_cache_lookups_total', 'cache="page",result="hit"'),
    ).toBeGreaterThan(0);
    expect(
      await metric(cached[1], 'jobs_gateway_cache_lookups_total', 'cache="page",result="miss"'),
    ).toBeGreaterThan(0);
  }, 60_000);

  it('frozen (it accepts connections and never answers): every answer complete, then caching resumes when it thaws', async () => {
    resetData(6);
    await flushRedis();
    const expected = newestKeys(20);
    const failedBefore = await metric(
      cached[0],
      'jobs_gateway_redis_errors_total',
      'reason="failed"',
    );
    redis.freeze();
    try {
      // Long enough for each replica to rest Redis and probe it again more than once.
      const traffic = load(cached, 8);
      await sleep(4000);
      const ready = await readiness(cached[0]);
      expect(ready.status).toBe(200);
      const answers = await traffic.stop();
      expectOnTime(answers);
      expect(answers.length).toBeGreaterThan(8);
      expectComplete(answers, expected);
    } finally {
      redis.thaw();
    }
    // Commands that timed out are counted as failed.
    expect(
      await metric(cached[0], 'jobs_gateway_redis_errors_total', 'reason="failed"'),
    ).toBeGreaterThan(failedBefore);
    await eventually(sharedCachingWorks, 10_000);
  }, 60_000);
});
