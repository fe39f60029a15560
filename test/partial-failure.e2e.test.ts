import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultSettings } from '../src/simulators/faults.js';
import type { JobFieldsFragment } from './gql/graphql.js';
import { type Stack, startStack } from './harness.js';
import { ImportExportJobsPage, IotJobsPage, JobsPage } from './operations.js';
import { datasetKeys, expectExactlyOnce, walk } from './walk.js';

const MODES: [string, Partial<FaultSettings>, string][] = [
  ['5xx', { errorRate: 1 }, 'UPSTREAM_UNAVAILABLE'],
  ['throttling', { throttleRate: 1 }, 'UPSTREAM_THROTTLED'],
  ['malformed body', { malformedRate: 1 }, 'UPSTREAM_BAD_RESPONSE'],
  ['hang', { hang: true }, 'UPSTREAM_TIMEOUT'],
];
const SOURCES = [
  { failing: 'IOT', healthy: 'IMPORT_EXPORT' },
  { failing: 'IMPORT_EXPORT', healthy: 'IOT' },
] as const;

describe('one upstream failing while the other works', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 45, importExportJobs: 35, upstreamTimeoutMs: 300 });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.simulators.iot?.faults.reset();
    stack.simulators.importExport?.faults.reset();
  });

  const simulatorOf = (source: 'IOT' | 'IMPORT_EXPORT') =>
    source === 'IOT' ? stack.simulators.iot : stack.simulators.importExport;

  for (const { failing, healthy } of SOURCES) {
    for (const [mode, faults, code] of MODES) {
      it(`${failing} ${mode}: the healthy source answers and nothing is lost`, async () => {
        // Page 1 with both up.
        const first = await stack.query(JobsPage, { first: 10 });
        const seen: JobFieldsFragment[] = first.body.data?.jobs.edges.map((e) => e.node) ?? [];
        let after = first.body.data?.jobs.pageInfo.endCursor ?? null;

        // Two pages with one source down.
        simulatorOf(failing)?.faults.set(faults);
        for (let page = 0; page < 2; page++) {
          const response = await stack.query(JobsPage, { first: 10, after });
          expect(response.status).toBe(200);
          const jobs = response.body.data?.jobs;
          expect(jobs?.unavailableSources).toEqual([failing]);
          expect(jobs?.edges.length).toBeGreaterThan(0);
          for (const edge of jobs?.edges ?? []) expect(edge.node.source).toBe(healthy);
          expect(jobs?.pageInfo.hasNextPage).toBe(true);
          expect(response.body.errors).toHaveLength(1);
          expect(response.body.errors?.[0]).toMatchObject({
            path: ['jobs'],
            extensions: { code, source: failing },
          });
          seen.push(...(jobs?.edges.map((e) => e.node) ?? []));
          after = jobs?.pageInfo.endCursor ?? after;
        }

        // The per-source field is null with the same coded error.
        const single =
          failing === 'IOT'
            ? await stack.query(IotJobsPage, { first: 5 })
            : await stack.query(ImportExportJobsPage, { first: 5 });
        expect(single.status).toBe(200);
        const field = failing === 'IOT' ? 'iotJobs' : 'importExportJobs';
        expect((single.body.data as Record<string, unknown>)[field]).toBeNull();
        expect(single.body.errors?.[0]?.extensions).toMatchObject({ code, source: failing });

        // Recovery: the walk resumes from the last cursor and loses nothing.
        simulatorOf(failing)?.faults.reset();
        const rest = await walk(stack, 'jobs', [10], {}, 100, after);
        expectExactlyOnce([...seen, ...rest.nodes], datasetKeys(stack.simulators.dataset));
      });
    }
  }

  it('both sources down: still HTTP 200, an empty page, two coded errors', async () => {
    stack.simulators.iot?.faults.set({ errorRate: 1 });
    stack.simulators.importExport?.faults.set({ throttleRate: 1 });
    const response = await stack.query(JobsPage, { first: 10 });
    expect(response.status).toBe(200);
    expect(response.body.data?.jobs.edges).toEqual([]);
    expect(response.body.data?.jobs.unavailableSources).toEqual(['IOT', 'IMPORT_EXPORT']);
    expect(response.body.errors?.map((e) => e.extensions?.code).sort()).toEqual([
      'UPSTREAM_THROTTLED',
      'UPSTREAM_UNAVAILABLE',
    ]);
    for (const error of response.body.errors ?? []) {
      expect(error.message).not.toMatch(/exception|rate exceeded|xml|json/i);
    }
  });
});
