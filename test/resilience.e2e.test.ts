import { setTimeout as delay } from 'node:timers/promises';
import { ListJobsCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type Stack, startStack } from './harness.js';
import { IotJobsPage, JobsPage } from './operations.js';

// How the gateway treats upstreams that fail for a while: bounded retries, a budget that stops
// retrying a persistently failing upstream, a breaker that stops calling it, and deadlines.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function until(check: () => boolean, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await delay(10);
  }
}

describe('retry budget', () => {
  it('never hits a throttling upstream more than requests × attempts, and falls to one per request', async () => {
    // 50 tokens at 5 a retry: 10 retries in all, then each request makes one attempt.
    stack = await startStack({ iotJobs: 20, importExportJobs: 0, retryBudget: 50, maxAttempts: 3 });
    stack.simulators.iot?.faults.set({ throttleRate: 1 });
    const hitsPerRequest: number[] = [];
    for (let i = 0; i < 30; i++) {
      const before = stack.calls().iot;
      const response = await stack.query(IotJobsPage, { first: 5 });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_THROTTLED');
      hitsPerRequest.push(stack.calls().iot - before);
    }
    const total = hitsPerRequest.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(30 * 3);
    expect(total).toBe(30 + 10);
    expect(hitsPerRequest.slice(0, 5)).toEqual([3, 3, 3, 3, 3]);
    expect(hitsPerRequest.slice(-20)).toEqual(Array(20).fill(1));
  });
});

describe('circuit breaker', () => {
  it('stops calling a failing upstream, fails fast, then probes and closes', async () => {
    stack = await startStack({
      iotJobs: 30,
      importExportJobs: 30,
      maxAttempts: 1,
      breaker: { minimumCalls: 5, windowSize: 10, errorThreshold: 0.5, resetTimeoutMs: 300 },
    });
    const iot = stack.simulators.iot;
    iot?.faults.set({ errorRate: 1 });
    for (let i = 0; i < 5; i++) await stack.query(IotJobsPage, { first: 5 });
    expect(stack.upstreams.breakers.get('IOT:us-east-1')?.state).toBe('open');
    const hits = stack.calls().iot;

    // Open: no upstream call, an immediate coded error, and the other source still answers.
    const open = await stack.query(JobsPage, { first: 5 });
    expect(stack.calls().iot).toBe(hits);
    expect(open.body.data?.jobs.unavailableSources).toEqual(['IOT']);
    expect(open.body.data?.jobs.edges).toHaveLength(5);
    expect(open.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      source: 'IOT',
    });

    // Still failing when the probe goes out: open again.
    await delay(350);
    await stack.query(IotJobsPage, { first: 5 });
    expect(stack.calls().iot).toBe(hits + 1);
    expect(stack.upstreams.breakers.get('IOT:us-east-1')?.state).toBe('open');

    // Recovered: one probe closes it and traffic flows.
    iot?.faults.reset();
    await delay(350);
    const probe = await stack.query(IotJobsPage, { first: 5 });
    expect(probe.body.errors).toBeUndefined();
    expect(stack.upstreams.breakers.get('IOT:us-east-1')?.state).toBe('closed');
    const after = await stack.query(IotJobsPage, { first: 5 });
    expect(after.body.data?.iotJobs?.edges).toHaveLength(5);
  });

  it('is not opened by client mistakes or missing jobs', async () => {
    stack = await startStack({ breaker: { minimumCalls: 3, resetTimeoutMs: 60_000 } });
    const missing = Buffer.from('IotJob:no-such-job').toString('base64url');
    for (let i = 0; i < 6; i++) {
      await stack.query('query($id: ID!) { node(id: $id) { id } }', { id: missing });
    }
    expect(stack.upstreams.breakers.get('IOT:us-east-1')?.state).toBe('closed');
  });
});

describe('what the breaker counts', () => {
  it('not the calls a request never sent: details still queued when its deadline passed', async () => {
    stack = await startStack({
      iotJobs: 60,
      importExportJobs: 0,
      detailConcurrency: 2,
      upstreamTimeoutMs: 1000,
      requestTimeoutMs: 1200,
      breaker: { minimumCalls: 10, windowSize: 20, errorThreshold: 0.5, resetTimeoutMs: 60_000 },
    });
    // Slow, but every call well within its own deadline: two at a time, 40 of them cannot all
    // run before the request's deadline, and the ones still queued then never go out.
    stack.simulators.iot?.faults.set({ latencyMs: 150 });
    await stack.query(
      '{ iotJobs(first: 40) { edges { node { jobId details { description } } } } }',
    );
    const sent = stack.simulators.iot?.counters.snapshot().byOperation.DescribeJob ?? 0;
    expect(sent).toBeLessThan(40);
    const breaker = stack.upstreams.breakers.get('IOT:us-east-1');
    expect(breaker?.state).toBe('closed');
    const light = await stack.query('{ iotJobs(first: 1) { edges { node { jobId } } } }');
    expect(light.body.errors).toBeUndefined();
  });
});

describe('deadlines and cancellation', () => {
  it('answers within the request deadline when an upstream hangs, and closes its socket', async () => {
    stack = await startStack({ requestTimeoutMs: 400, upstreamTimeoutMs: 10_000 });
    stack.simulators.iot?.faults.set({ hang: true });
    const started = performance.now();
    const response = await stack.query(JobsPage, { first: 5 });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      source: 'IOT',
    });
    expect(response.body.data?.jobs.edges).toHaveLength(5);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    const iot = stack.simulators.iot;
    await until(() => iot?.counters.snapshot().inFlight === 0);
    expect(iot?.counters.snapshot().abandoned).toBe(1);
  });

  it('aborts upstream calls when the client goes away, the SDK handler cache kept', async () => {
    stack = await startStack({ requestTimeoutMs: 30_000, upstreamTimeoutMs: 30_000 });
    // A first page resolves the IoT client's middleware chain; no later call resolves it again
    // (a send() given an abortSignal would, every time).
    expect((await stack.query(IotJobsPage, { first: 5 })).body.errors).toBeUndefined();
    const resolved = vi.spyOn(ListJobsCommand.prototype, 'resolveMiddleware');
    onTestFinished(() => resolved.mockRestore());
    expect((await stack.query(IotJobsPage, { first: 3 })).body.errors).toBeUndefined();
    const iot = stack.simulators.iot;
    iot?.faults.set({ hang: true });
    const controller = new AbortController();
    const pending = fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ iotJobs(first: 5) { edges { cursor } } }' }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await until(() => iot?.counters.snapshot().inFlight === 1);
    controller.abort();
    await pending;
    // The gateway saw its client leave and closed the upstream socket: the upstream counts the
    // request abandoned well before any deadline.
    await until(() => iot?.counters.snapshot().abandoned === 1, 2000);
    expect(iot?.counters.snapshot().inFlight).toBe(0);
    expect(resolved).not.toHaveBeenCalled();
  });
});
