import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';
import { captureLogs, type Stack, startStack } from './harness.js';
import { IotJobsPage, JobsWithDetails } from './operations.js';

describe('logs', () => {
  let stack: Stack;
  const logs = captureLogs('debug');
  beforeAll(async () => {
    stack = await startStack({ logger: logs.logger });
  });
  afterAll(() => stack.close());

  const lines = () =>
    logs
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes a line per request and per upstream call, tied by the request id', async () => {
    const response = await stack.query(JobsWithDetails, { first: 4 }, { 'x-request-id': 'req-42' });
    expect(response.body.errors).toBeUndefined();
    const mine = lines().filter((l) => l.requestId === 'req-42');
    const request = mine.find((l) => l.msg === 'request');
    expect(request).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200 });
    expect(request?.durationMs).toBeTypeOf('number');
    const calls = mine.filter((l) => l.msg === 'upstream call');
    expect(calls.map((c) => `${c.upstream} ${c.operation}`)).toEqual(
      expect.arrayContaining(['IOT ListJobs', 'IMPORT_EXPORT ListJobs']),
    );
    for (const call of calls) {
      expect(call).toMatchObject({ outcome: 'ok', attempts: 1 });
      expect(call.durationMs).toBeTypeOf('number');
    }
  });

  it('gives a generated request id when the client sends none or a bad one, and echoes it', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id with spaces' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs failed calls as warnings with their code and attempts, never the upstream message', async () => {
    stack.simulators.iot?.faults.set({ throttleRate: 1 });
    await stack.query(IotJobsPage, { first: 2 }, { 'x-request-id': 'req-throttled' });
    stack.simulators.iot?.faults.reset();
    const failed = lines().find(
      (l) => l.requestId === 'req-throttled' && l.msg === 'upstream call failed',
    );
    expect(failed).toMatchObject({
      level: 'warn',
      upstream: 'IOT',
      outcome: 'UPSTREAM_THROTTLED',
      upstreamCode: 'ThrottlingException',
      attempts: 3,
    });
    expect(logs.text()).not.toMatch(/Rate exceeded/i);
  });
});

describe('metrics', () => {
  let stack: Stack;
  const metrics = createMetrics();
  beforeAll(async () => {
    stack = await startStack({
      metrics,
      maxAttempts: 2,
      breaker: { minimumCalls: 4, windowSize: 4, errorThreshold: 1, resetTimeoutMs: 60_000 },
    });
  });
  afterAll(() => stack.close());

  const scrape = async () => {
    const response = await fetch(new URL('/metrics', stack.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    return response.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('counts requests, upstream calls, batches, retries and breaker states', async () => {
    await stack.query(JobsWithDetails, { first: 6 });
    let text = await scrape();
    expect(
      value(
        text,
        'jobs_gateway_upstream_calls_total{source="IOT",region="us-east-1",operation="ListJobs",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      value(
        text,
        'jobs_gateway_upstream_calls_total{source="IMPORT_EXPORT",region="",operation="ListJobs",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      value(
        text,
        'jobs_gateway_upstream_call_duration_seconds_count{source="IOT",region="us-east-1",operation="ListJobs"}',
      ),
    ).toBe(1);
    expect(
      value(text, 'jobs_gateway_loader_batch_size_count{loader="DescribeJob"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(
      /graphql_envelop_request_duration_count\{operationName="JobsWithDetails",operationType="query"\} 1/,
    );
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(value(text, 'jobs_gateway_circuit_breaker_state{source="IOT",region="us-east-1"}')).toBe(
      0,
    );

    stack.simulators.iot?.faults.set({ errorRate: 1 });
    for (let i = 0; i < 4; i++) await stack.query(IotJobsPage, { first: 2 });
    stack.simulators.iot?.faults.reset();
    text = await scrape();
    expect(
      value(
        text,
        'jobs_gateway_upstream_calls_total{source="IOT",region="us-east-1",operation="ListJobs",outcome="UPSTREAM_UNAVAILABLE"}',
      ),
    ).toBe(4);
    expect(value(text, 'jobs_gateway_upstream_retries_total{source="IOT"}')).toBe(4);
    expect(value(text, 'jobs_gateway_circuit_breaker_state{source="IOT",region="us-east-1"}')).toBe(
      2,
    );
    await stack.query(IotJobsPage, { first: 2 });
    text = await scrape();
    expect(
      value(
        text,
        'jobs_gateway_upstream_calls_total{source="IOT",region="us-east-1",operation="ListJobs",outcome="CIRCUIT_OPEN"}',
      ),
    ).toBe(1);
  });
});

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let stack: Stack;
  beforeAll(async () => {
    provider.register();
    stack = await startStack({ tracing: true });
  });
  afterAll(async () => {
    await stack.close();
    await provider.shutdown();
    trace.disable();
  });

  it('makes a span per operation, continuing the caller trace, with a span per upstream call', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await stack.query(
      JobsWithDetails,
      { first: 3 },
      {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    );
    expect(response.body.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'graphql JobsWithDetails');
    expect(root?.spanContext().traceId).toBe(traceId);
    const children = spans.filter(
      (s) => s.parentSpanContext?.spanId === root?.spanContext().spanId,
    );
    const names = children.map((s) => s.name);
    expect(names).toContain('IOT ListJobs');
    expect(names).toContain('IMPORT_EXPORT ListJobs');
    expect(names.some((n) => n === 'IOT DescribeJob' || n === 'IMPORT_EXPORT GetStatus')).toBe(
      true,
    );
    for (const child of children) {
      expect(child.spanContext().traceId).toBe(traceId);
      expect(child.attributes['upstream.attempts']).toBe(1);
    }
  });
});

describe('federated tracing', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('adds an ftv1 trace when the router asks for one, and only then', async () => {
    const subgraph = new URL('/subgraph', stack.url);
    const ask = async (headers: Record<string, string>) => {
      const response = await fetch(subgraph, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ jobs(first: 2) { edges { node { jobId } } } }' }),
      });
      return (await response.json()) as { extensions?: { ftv1?: string }; data?: unknown };
    };
    const traced = await ask({ 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.data).toBeTruthy();
    expect(traced.extensions?.ftv1).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect((await ask({})).extensions?.ftv1).toBeUndefined();
  });
});
