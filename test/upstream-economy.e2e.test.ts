import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobsPageQuery } from './gql/graphql.js';
import { type Stack, startStack } from './harness.js';
import { JobsPage, JobsWithDetails, TwoAliases } from './operations.js';

// Read from the simulators' own request counters: what the upstreams really received.
describe('upstream calls per page', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 1000, importExportJobs: 300, detailConcurrency: 4 });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.resetCounters();
    stack.simulators.iot?.faults.reset();
    stack.simulators.importExport?.faults.reset();
  });

  it('a page of jobs costs one call per source, and so does each page after it', async () => {
    let after: string | null = null;
    for (let page = 0; page < 12; page++) {
      stack.resetCounters();
      const response: Awaited<ReturnType<typeof stack.query<JobsPageQuery, unknown>>> =
        await stack.query(JobsPage, { first: 20, after });
      expect(response.body.errors).toBeUndefined();
      expect(stack.calls()).toEqual({ iot: 1, importExport: 1 });
      after = response.body.data?.jobs.pageInfo.endCursor ?? null;
    }
  });

  it('reads only the selected source', async () => {
    const response = await stack.query(JobsPage, { first: 50, sources: ['IMPORT_EXPORT'] });
    expect(response.body.data?.jobs.edges).toHaveLength(50);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 1 });
  });

  it('the same field twice under aliases costs no extra call', async () => {
    const response = await stack.query(TwoAliases, { first: 20 });
    expect(response.body.data?.a.edges).toHaveLength(20);
    expect(response.body.data?.b.edges).toHaveLength(20);
    expect(stack.calls()).toEqual({ iot: 1, importExport: 1 });
  });

  it('details of a page are deduplicated, and their concurrency is bounded', async () => {
    // Latency makes calls overlap, so that the bound is what limits them.
    stack.simulators.iot?.faults.set({ latencyMs: 15 });
    stack.simulators.importExport?.faults.set({ latencyMs: 15 });
    const response = await stack.query(JobsWithDetails, { first: 20 });
    expect(response.body.errors).toBeUndefined();
    const nodes = response.body.data?.jobs.edges.map((e) => e.node) ?? [];
    expect(nodes).toHaveLength(20);
    const iotJobs = nodes.filter((n) => n.__typename === 'IotJob');
    const ieJobs = nodes.filter((n) => n.__typename === 'ImportExportJob');
    for (const job of iotJobs) {
      if (job.__typename !== 'IotJob') continue;
      expect(job.details?.description).toMatch(/^Firmware rollout/);
      expect(job.again?.description).toBe(job.details?.description);
    }
    for (const job of ieJobs) {
      if (job.__typename !== 'ImportExportJob') continue;
      expect(job.status?.trackingNumber).toMatch(/^1Z/);
    }
    const iot = stack.simulators.iot?.counters.snapshot();
    const ie = stack.simulators.importExport?.counters.snapshot();
    expect(iot?.byOperation).toEqual({ ListJobs: 1, DescribeJob: iotJobs.length });
    expect(ie?.byOperation).toEqual({ ListJobs: 1, GetStatus: ieJobs.length });
    expect(iot?.maxInFlight ?? 0).toBeLessThanOrEqual(4);
    expect(ie?.maxInFlight ?? 0).toBeLessThanOrEqual(4);
    expect(Math.max(iot?.maxInFlight ?? 0, ie?.maxInFlight ?? 0)).toBeGreaterThan(1);
  });

  it('does not ask an empty source again on later pages', async () => {
    const lopsided = await startStack({ iotJobs: 60, importExportJobs: 0 });
    try {
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const response: Awaited<ReturnType<typeof lopsided.query<JobsPageQuery, unknown>>> =
          await lopsided.query(JobsPage, { first: 20, after });
        expect(response.body.data?.jobs.edges).toHaveLength(20);
        after = response.body.data?.jobs.pageInfo.endCursor ?? null;
      }
      expect(lopsided.calls()).toEqual({ iot: 3, importExport: 1 });
    } finally {
      await lopsided.close();
    }
  });
});
