import { print } from 'graphql';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';
import { startSimulators } from '../src/simulators/index.js';
import { reportUnknownValues } from '../src/upstreams/instrument.js';
import type { JobFieldsFragment } from './gql/graphql.js';
import { killGateways, SIMULATOR_KEYS, startGateway } from './gateway-process.js';
import { captureLogs, type Stack, startStack } from './harness.js';
import { JobsPage } from './operations.js';
import { datasetKeys, expectExactlyOnce } from './walk.js';

// An upstream that goes down for longer than a walk takes, comes back, and a walk that goes on
// through all of it; an upstream that sends values the schema does not know; readiness under
// faults.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface JobsResult {
  edges: { node: JobFieldsFragment }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  unavailableSources: string[];
  unavailable?: { source: string; region: string | null; code: string }[];
}

const JOBS_WITH_UNAVAILABLE = `${print(JobsPage).replace(
  'unavailableSources',
  'unavailableSources unavailable { source region code }',
)}`;

describe('an IoT outage longer than Import/Export has pages', () => {
  it('never leaves a dead end, and completes the walk exactly once after recovery', async () => {
    stack = await startStack({
      iotJobs: 120,
      importExportJobs: 30,
      maxAttempts: 1,
      breaker: { minimumCalls: 4, windowSize: 10, errorThreshold: 0.5, resetTimeoutMs: 200 },
    });
    const iot = stack.simulators.iot;
    const breaker = stack.upstreams.breakers.get('IOT:us-east-1');
    const transitions: string[] = [];
    const nodes: JobFieldsFragment[] = [];
    let after: string | null = null;

    // A few pages with both sources up.
    for (let n = 0; n < 3; n++) {
      const data: JobsResult = await jobsPage(stack, after);
      nodes.push(...data.edges.map((e) => e.node));
      after = data.pageInfo.endCursor;
    }

    iot?.faults.set({ errorRate: 1 });
    let emptyPagesWithMore = 0;
    for (let n = 0; n < 12; n++) {
      const data: JobsResult = await jobsPage(stack, after);
      expect(data.unavailableSources).toEqual(['IOT']);
      expect(data.unavailable).toEqual([
        { source: 'IOT', region: 'us-east-1', code: 'UPSTREAM_UNAVAILABLE' },
      ]);
      expect(data.pageInfo.hasNextPage).toBe(true);
      // The dead end this guards against: more to come, and nowhere to continue from.
      expect(data.pageInfo.endCursor).not.toBeNull();
      if (data.edges.length === 0) emptyPagesWithMore++;
      nodes.push(...data.edges.map((e) => e.node));
      after = data.pageInfo.endCursor;
    }
    // Import/Export ran out while IoT was down: the walk kept going on empty pages.
    expect(emptyPagesWithMore).toBeGreaterThan(0);
    expect(breaker?.state).toBe('open');

    iot?.faults.reset();
    await delay(250);
    // The half-open probe succeeds and closes the breaker (with a fresh window; the case of a first
    // success after failures the closed breaker let through is the next test's): the walk then
    // completes without it opening again.
    const unsubscribe = watch(breaker, transitions);
    for (let n = 0; n < 200; n++) {
      const data: JobsResult = await jobsPage(stack, after);
      expect(data.unavailableSources).toEqual([]);
      nodes.push(...data.edges.map((e) => e.node));
      if (!data.pageInfo.hasNextPage) break;
      after = data.pageInfo.endCursor;
    }
    unsubscribe();
    expect(transitions).not.toContain('open');
    expect(breaker?.state).toBe('closed');
    expectExactlyOnce(nodes, datasetKeys(stack.simulators.dataset));
  });
});

describe('an outage shorter than the breaker needs to open', () => {
  afterAll(killGateways);

  it('the first successful call after it does not open the breaker: the next pages reach IoT', async () => {
    // The gateway as its own process, configured as a deployment would be: one attempt per call,
    // and a breaker that judges only from its sixth call on. Five failed calls then leave it
    // closed with a window of five failures, which the first success turns into six calls of
    // which five failed: over the threshold, though the upstream has just come back.
    const simulators = await startSimulators({
      data: { seed: 5, iotJobs: 40, importExportJobs: 40 },
      credentials: {
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      },
    });
    const { iot, importExport } = simulators;
    if (!iot || !importExport) throw new Error('both simulators should run');
    iot.faults.set({ errorRate: 1 });
    const gateway = await startGateway({
      IOT_ENDPOINT: iot.url,
      IMPORT_EXPORT_ENDPOINT: importExport.url,
      UPSTREAM_MAX_ATTEMPTS: '1',
      BREAKER_MIN_CALLS: '6',
      BREAKER_RESET_MS: '600000',
      LOG_LEVEL: 'warn',
      ...SIMULATOR_KEYS,
    });
    try {
      const page = async (after: string | null): Promise<JobsResult> => {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: JOBS_WITH_UNAVAILABLE, variables: { first: 5, after } }),
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as { data: { jobs: JobsResult } }).data.jobs;
      };
      const breakerGauge = async () => {
        const text = await (await fetch(`${gateway.base}/metrics`)).text();
        const line = text
          .split('\n')
          .find((l) =>
            l.startsWith('jobs_gateway_circuit_breaker_state{source="IOT",region="us-east-1"}'),
          );
        return Number(line?.split(' ').at(-1));
      };
      const nodes: JobFieldsFragment[] = [];
      let after: string | null = null;
      for (let n = 0; n < 10 && iot.counters.snapshot().total < 5; n++) {
        const data = await page(after);
        expect(data.unavailableSources).toEqual(['IOT']);
        nodes.push(...data.edges.map((e) => e.node));
        after = data.pageInfo.endCursor;
      }
      // The shape that matters: five failures, all let through, and the breaker still closed.
      expect(iot.counters.snapshot().total).toBe(5);
      expect(await breakerGauge()).toBe(0);

      iot.faults.reset();
      let pages = 0;
      let iotCalls = iot.counters.snapshot().total;
      for (let n = 0; n < 40; n++) {
        const data = await page(after);
        pages++;
        expect(data.unavailableSources).toEqual([]);
        // 0: closed. The bug this guards against opened it here, on the page's first success.
        expect(await breakerGauge()).toBe(0);
        nodes.push(...data.edges.map((e) => e.node));
        if (data.edges.some((e) => e.node.source === 'IOT')) {
          // The IoT jobs of this page came from IoT itself.
          expect(iot.counters.snapshot().total).toBeGreaterThan(iotCalls);
        }
        iotCalls = iot.counters.snapshot().total;
        if (!data.pageInfo.hasNextPage) break;
        after = data.pageInfo.endCursor;
      }
      expect(pages).toBeGreaterThan(5);
      expect(gateway.stdout.filter((l) => l.includes('circuit breaker'))).toEqual([]);
      expectExactlyOnce(nodes, datasetKeys(simulators.dataset));
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
      await simulators.close();
    }
  });
});

async function jobsPage(stack: Stack, after: string | null): Promise<JobsResult> {
  const response = await stack.query(JOBS_WITH_UNAVAILABLE, { first: 10, after });
  expect(response.status).toBe(200);
  return (response.body.data as { jobs: JobsResult }).jobs;
}

/** Records the breaker's states as they change, by polling (the breaker has one listener). */
function watch(breaker: { state: string } | undefined, into: string[]): () => void {
  let last = breaker?.state;
  const timer = setInterval(() => {
    const state = breaker?.state;
    if (state !== last) into.push(state as string);
    last = state;
  }, 1);
  return () => clearInterval(timer);
}

describe('values the schema does not know', () => {
  it('an unknown status: the page answers, the job is whole, the value is visible, logged once, counted', async () => {
    const logs = captureLogs('warn');
    const metrics = createMetrics({ defaultMetrics: false });
    stack = await startStack({
      iotJobs: 20,
      importExportJobs: 10,
      logger: logs.logger,
      metrics,
      onUnknownValue: reportUnknownValues(logs.logger, metrics),
    });
    const job = stack.simulators.iot?.live.jobs()[2];
    stack.simulators.iot?.live.setStatus(job?.jobId as string, 'QUEUED');
    const ieJob = stack.simulators.importExport?.live.jobs()[0];
    stack.simulators.importExport?.live.setJobType(ieJob?.jobId as string, 'Snowcone');

    const query = `{ jobs(first: 30) { edges { node { jobId createdAt source
      ... on IotJob { status rawStatus targetSelection region }
      ... on ImportExportJob { jobType rawJobType } } } } }`;
    for (let round = 0; round < 2; round++) {
      const response = await stack.query(query);
      expect(response.body.errors).toBeUndefined();
      const nodes = (
        response.body.data as { jobs: { edges: { node: Record<string, unknown> }[] } }
      ).jobs.edges.map((e) => e.node);
      expect(nodes).toHaveLength(30);
      expect(nodes.find((n) => n.jobId === job?.jobId)).toMatchObject({
        status: 'UNKNOWN',
        rawStatus: 'QUEUED',
        targetSelection: job?.targetSelection,
        region: 'us-east-1',
        createdAt: job?.createdAt.toISOString(),
      });
      expect(nodes.find((n) => n.jobId === ieJob?.jobId)).toMatchObject({
        jobType: 'UNKNOWN',
        rawJobType: 'Snowcone',
      });
    }
    const warnings = logs
      .text()
      .split('\n')
      .filter((line) => line.includes('"value":"QUEUED"'));
    expect(warnings).toHaveLength(1);
    const text = await metrics.render();
    expect(text).toContain(
      'jobs_gateway_unknown_enum_values_total{source="IOT",field="IotJob.status"} 2',
    );
    expect(text).toContain(
      'jobs_gateway_unknown_enum_values_total{source="IMPORT_EXPORT",field="ImportExportJob.jobType"} 2',
    );
  });

  it('UNKNOWN cannot be used as a filter', async () => {
    stack = await startStack({ iotJobs: 5, importExportJobs: 0 });
    const response = await stack.query(
      '{ iotJobs(filter: { status: UNKNOWN }) { edges { cursor } } }',
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.calls().iot).toBe(0);
  });
});

describe('readiness', () => {
  it('stays ready under 10 % random upstream faults, and turns unready when an upstream is down', async () => {
    // One attempt per call: no retry absorbs a fault, so about one call in ten really fails and
    // readiness has to judge from the success ratio, not from calls that all succeeded.
    stack = await startStack({
      iotJobs: 200,
      importExportJobs: 100,
      maxAttempts: 1,
      breaker: { minimumCalls: 10, windowSize: 20, errorThreshold: 0.5, resetTimeoutMs: 60_000 },
    });
    const base = stack.url.replace('/graphql', '');
    stack.simulators.iot?.faults.set({ errorRate: 0.1 });
    stack.simulators.importExport?.faults.set({ errorRate: 0.1 });
    let after: string | null = null;
    const statuses: number[] = [];
    let pagesWithFailures = 0;
    let lowestRatio = 1;
    for (let n = 0; n < 60; n++) {
      const data: JobsResult = await jobsPage(stack, after);
      if (data.unavailableSources.length > 0) pagesWithFailures++;
      after = data.pageInfo.endCursor;
      const ready = await fetch(`${base}/ready`);
      statuses.push(ready.status);
      const body = (await ready.clone().json()) as {
        upstreams: Record<string, { state: string; successRatio: number }>;
      };
      for (const upstream of Object.values(body.upstreams)) {
        lowestRatio = Math.min(lowestRatio, upstream.successRatio);
      }
    }
    // The faults reached the pages and the health window: readiness judged real failures.
    expect(pagesWithFailures).toBeGreaterThan(2);
    expect(lowestRatio).toBeLessThan(1);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    stack.simulators.iot?.faults.set({ errorRate: 1 });
    for (let n = 0; n < 12; n++) await stack.query(JobsPage, { first: 5 });
    const down = await fetch(`${base}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      ready: false,
      upstreams: { 'IOT:us-east-1': { state: 'unavailable' }, IMPORT_EXPORT: { state: 'ok' } },
    });
  });
});

describe('readiness of an idle gateway whose upstream stays down', () => {
  it('probes through the half-open breaker once the health window is empty, and stays 503', async () => {
    stack = await startStack({
      iotJobs: 20,
      importExportJobs: 5,
      maxAttempts: 1,
      breaker: { minimumCalls: 4, windowSize: 10, errorThreshold: 0.5, resetTimeoutMs: 10_000 },
    });
    stack.simulators.iot?.faults.set({ errorRate: 1 });
    for (let n = 0; n < 6; n++) await stack.query('{ iotJobs(first: 2) { edges { cursor } } }');
    expect((await stack.gateway.readiness()).ready).toBe(false);
    // Thirty-one seconds without traffic, on the breaker's and the health window's clock.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      stack.resetCounters();
      const later = await stack.gateway.readiness();
      expect(later.ready).toBe(false);
      expect(later.upstreams['IOT:us-east-1']).toMatchObject({ state: 'unavailable' });
      expect(stack.calls().iot).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
