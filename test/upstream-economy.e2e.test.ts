import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobsPageQuery } from './gql/graphql.js';
import { type Stack, startStack } from './harness.js';
import {
  ImportExportJobsPage,
  IotJobsPage,
  JobsPage,
  JobsWithDetails,
  TwoAliases,
} from './operations.js';

interface PageShape {
  edges: unknown[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
const PAGES = { jobs: JobsPage, iotJobs: IotJobsPage, importExportJobs: ImportExportJobsPage };

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

  it('a first page of jobs costs one call per source, and each page after it at most two', async () => {
    let after: string | null = null;
    for (let page = 0; page < 12; page++) {
      stack.resetCounters();
      const response: Awaited<ReturnType<typeof stack.query<JobsPageQuery, unknown>>> =
        await stack.query(JobsPage, { first: 20, after });
      expect(response.body.errors).toBeUndefined();
      const calls = stack.calls();
      if (page === 0) expect(calls).toEqual({ iot: 1, importExport: 1 });
      expect(calls.iot).toBeLessThanOrEqual(2);
      expect(calls.importExport).toBeLessThanOrEqual(2);
      after = response.body.data?.jobs.pageInfo.endCursor ?? null;
    }
  });

  // The bounds the README states: per page, at most two list calls per source; per walk, job
  // summaries read upstream within 2.2 per job delivered for one source, 2.5 for jobs.
  // (A smaller data set than the rest of this file, so that pages of one stay quick.)
  const bounds = { iotJobs: 2.2, importExportJobs: 2.2, jobs: 2.5 } as const;
  let small: Stack;
  beforeAll(async () => {
    small = await startStack({ iotJobs: 250, importExportJobs: 80 });
  });
  afterAll(() => small.close());
  for (const connection of ['iotJobs', 'importExportJobs', 'jobs'] as const) {
    for (const first of [1, 7, 20, 100]) {
      it(`${connection}(first: ${first}): summaries per job within ${bounds[connection]}, calls per page within 2`, async () => {
        const summaries = () =>
          (small.simulators.iot?.counters.snapshot().listed ?? 0) +
          (small.simulators.importExport?.counters.snapshot().listed ?? 0);
        let after: string | null = null;
        let delivered = 0;
        let pages = 0;
        let read = 0;
        for (;;) {
          small.resetCounters();
          const response = await small.query<Record<string, PageShape>, unknown>(
            print(PAGES[connection]),
            { first, after },
          );
          expect(response.body.errors).toBeUndefined();
          const calls = small.calls();
          expect(calls.iot).toBeLessThanOrEqual(2);
          expect(calls.importExport).toBeLessThanOrEqual(2);
          read += summaries();
          const page = response.body.data?.[connection] as PageShape;
          delivered += page.edges.length;
          pages++;
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        const expected = { iotJobs: 250, importExportJobs: 80, jobs: 330 }[connection];
        expect(delivered).toBe(expected);
        expect(read / delivered).toBeLessThanOrEqual(bounds[connection]);
        // At most one page more than the jobs need: the last one may come back empty.
        expect(pages).toBeLessThanOrEqual(Math.ceil(expected / first) + 1);
      });
    }
  }

  // Over regions, every source of the page counts on its own: at most two list calls each.
  let regional: Stack;
  beforeAll(async () => {
    regional = await startStack({
      iotRegions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
      iotJobs: 120,
      importExportJobs: 120,
    });
  });
  afterAll(() => regional.close());
  for (const first of [7, 20]) {
    it(`jobs(first: ${first}) over three regions and Import/Export: at most two list calls per source per page`, async () => {
      const simulators = [
        ...regional.simulators.iotByRegion.values(),
        regional.simulators.importExport,
      ];
      const lists = () => simulators.map((s) => s?.counters.snapshot().byOperation.ListJobs ?? 0);
      let after: string | null = null;
      let delivered = 0;
      for (let n = 0; n < 200; n++) {
        const before = lists();
        const response = await regional.query<Record<string, PageShape>, unknown>(print(JobsPage), {
          first,
          after,
        });
        expect(response.body.errors).toBeUndefined();
        lists().forEach((calls, i) => expect(calls - (before[i] ?? 0)).toBeLessThanOrEqual(2));
        const page = response.body.data?.jobs as PageShape;
        delivered += page.edges.length;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(delivered).toBe(4 * 120);
    });
  }

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
