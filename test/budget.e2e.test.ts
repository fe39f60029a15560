import fc from 'fast-check';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateUpstreamCalls } from '../src/budget.js';
import { buildApiSchema } from '../src/schema/index.js';
import { encodeNodeId } from '../src/schema/node-id.js';
import { amplificationDocument } from './amplification.js';
import { type Stack, startStack } from './harness.js';

// The upstream-call budget, counted where it matters: by the simulators. A request never makes
// more calls than MAX_UPSTREAM_CALLS, whatever it asks; what would cost more is refused before
// the first call, and what costs more than estimated is cut where the budget runs out.

interface Result {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

async function post(url: string, query: string, variables?: unknown) {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, bytes: body.length, result: (await response.json()) as Result };
}

const total = (stack: Stack) => {
  const { iot, importExport } = stack.calls();
  return iot + importExport;
};

describe('the upstream-call budget (default: 200 a request)', () => {
  let stack: Stack;
  let ieCursors: string[];
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 1500, importExportJobs: 350 });
    ieCursors = [];
    let after: string | null = null;
    for (let i = 0; i < 2; i++) {
      const page: Result = (
        await post(
          stack.url,
          'query($a: String) { importExportJobs(first: 100, after: $a) { pageInfo { endCursor } } }',
          { a: after },
        )
      ).result;
      after = (page.data?.importExportJobs as { pageInfo: { endCursor: string } }).pageInfo
        .endCursor;
      ieCursors.push(after);
    }
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCounters());

  it('refuses the amplification document before any upstream call', async () => {
    const { query, variables } = amplificationDocument([null, ...ieCursors]);
    const { status, bytes, result } = await post(stack.url, query, variables);
    expect(bytes).toBeGreaterThan(2000);
    expect(status).toBe(200);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'OPERATION_TOO_COMPLEX',
      upstreamCalls: 1326,
      maxUpstreamCalls: 200,
    });
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });

  it('answers a page of 100 jobs with details and status, within the budget', async () => {
    const { result } = await post(
      stack.url,
      '{ jobs(first: 100) { edges { node { jobId ... on IotJob { details { description targets } } ... on ImportExportJob { s: status { progressCode carrier } } } } } }',
    );
    expect(result.errors).toBeUndefined();
    const edges = (result.data?.jobs as { edges: { node: Record<string, unknown> }[] }).edges;
    expect(edges).toHaveLength(100);
    for (const { node } of edges) expect(node.details ?? node.s).toBeTruthy();
    // 100 DescribeJob or GetStatus, and one list call per source.
    expect(total(stack)).toBe(102);
  });

  it('takes at most 100 _entities representations, and prices the ones it takes', async () => {
    const subgraph = new URL('/subgraph', stack.url).href;
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on IotJob { jobId thingGroupId details { description } } } }';
    const jobs = stack.simulators.dataset.iotJobs;
    const representations = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        __typename: 'IotJob',
        id: encodeNodeId('IotJob', jobs[i % jobs.length]?.jobId ?? 'none'),
      }));

    const flood = await post(subgraph, query, { r: representations(1300) });
    expect(flood.bytes).toBeGreaterThan(50_000);
    expect(flood.result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(flood.result.data ?? null).toBeNull();
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });

    // One DescribeJob each, and the thing group each names: 200 at most, the whole budget.
    const page = await post(subgraph, query, { r: representations(100) });
    expect(page.result.errors).toBeUndefined();
    expect(page.result.data?._entities).toHaveLength(100);
    expect(total(stack)).toBeGreaterThanOrEqual(100);
    expect(total(stack)).toBeLessThanOrEqual(200);
  });

  it('keeps every random document within the budget and within its own estimate', async () => {
    const schema = buildApiSchema();
    const iotIds = stack.simulators.dataset.iotJobs.slice(0, 40).map((j) => j.jobId);
    const ieIds = stack.simulators.dataset.importExportJobs.slice(0, 40).map((j) => j.jobId);
    const item = fc.record({
      details: fc.boolean(),
      status: fc.boolean(),
      thingGroupId: fc.boolean(),
    });
    type Item = { details: boolean; status: boolean; thingGroupId: boolean };
    // Fields of either type, spread where the item may be of that type.
    const selection = (s: Item, types: readonly ('IotJob' | 'ImportExportJob')[]) => {
      const iot = types.includes('IotJob');
      const ie = types.includes('ImportExportJob');
      return [
        'id',
        iot && s.thingGroupId ? '... on IotJob { thingGroupId }' : '',
        iot && s.details ? '... on IotJob { details { comment } }' : '',
        ie && s.status ? '... on ImportExportJob { st: status { carrier } }' : '',
      ].join(' ');
    };
    const both = ['IotJob', 'ImportExportJob'] as const;
    const first = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(100));
    const field = fc.oneof(
      fc
        .tuple(first, fc.constantFrom('', 'sources: [IOT]', 'sources: [IMPORT_EXPORT]'), item)
        .map(([n, s, i]) => `jobs(first: ${n} ${s}) { edges { node { ${selection(i, both)} } } }`),
      fc
        .tuple(first, fc.constantFrom('', 'filter: { status: COMPLETED }'), item)
        .map(
          ([n, f, i]) =>
            `iotJobs(first: ${n} ${f}) { edges { node { ${selection(i, ['IotJob'])} } } }`,
        ),
      fc
        .tuple(first, item)
        .map(
          ([n, i]) =>
            `importExportJobs(first: ${n}) { edges { node { ${selection(i, ['ImportExportJob'])} } } }`,
        ),
      fc
        .tuple(
          fc.array(
            fc.oneof(
              fc.constantFrom(...iotIds).map((id) => encodeNodeId('IotJob', id)),
              fc.constantFrom(...ieIds).map((id) => encodeNodeId('ImportExportJob', id)),
            ),
            { maxLength: 60 },
          ),
          item,
        )
        .map(([ids, i]) => `nodes(ids: ${JSON.stringify(ids)}) { ${selection(i, both)} }`),
    );
    const documents = fc
      .array(field, { minLength: 1, maxLength: 5 })
      .map((fields) => `{ ${fields.map((f, i) => `f${i}: ${f}`).join(' ')} }`);

    let refused = 0;
    await fc.assert(
      fc.asyncProperty(documents, async (query) => {
        stack.resetCounters();
        const { result } = await post(stack.url, query);
        const made = total(stack);
        const estimate = estimateUpstreamCalls(schema, parse(query), undefined, {}).calls;
        expect(made).toBeLessThanOrEqual(200);
        if (result.errors?.[0]?.extensions?.code === 'OPERATION_TOO_COMPLEX') {
          refused++;
          expect(estimate).toBeGreaterThan(200);
          expect(made).toBe(0);
        } else {
          expect(result.errors).toBeUndefined();
          expect(made).toBeLessThanOrEqual(estimate);
        }
      }),
      { numRuns: 60, seed: 1201 },
    );
    // The documents are big enough that the budget refuses some of them.
    expect(refused).toBeGreaterThan(0);
  }, 60_000);
});

describe('a budget that runs out while the operation runs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      iotJobs: 400,
      importExportJobs: 30,
      config: { maxUpstreamCalls: 3 },
    });
  });
  afterAll(() => stack.close());

  it('refuses the calls past it with a coded error on their fields; the rest stands', async () => {
    // IoT answers every page after an empty one that carries the token to it.
    const iot = stack.simulators.iot;
    if (!iot) throw new Error('the IoT simulator should run');
    iot.quirks.emptyPages = true;
    // A window that starts 300 jobs down the list: reading seeks down to it, page after page.
    const before = stack.simulators.dataset.iotJobs[300]?.createdAt.toISOString();
    const ieJob = stack.simulators.dataset.importExportJobs[0]?.jobId ?? '';
    stack.resetCounters();
    // Estimated: two list calls and one GetStatus. The IoT read takes more from there (an empty
    // page, a page of jobs newer than the window, an empty page, ...): the fourth call is over.
    const { result } = await post(
      stack.url,
      'query($b: DateTime, $id: ID!) { iot: iotJobs(first: 100, createdBefore: $b) { edges { node { jobId } } } job: node(id: $id) { ... on ImportExportJob { jobId status { progressCode } } } }',
      { b: before, id: encodeNodeId('ImportExportJob', ieJob) },
    );
    expect(result.data?.iot).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.path).toEqual(['iot']);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_CALL_BUDGET_EXCEEDED',
      source: 'IOT',
    });
    expect(result.data?.job).toMatchObject({ jobId: ieJob });
    expect(total(stack)).toBe(3);
  });
});
