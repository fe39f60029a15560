import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';
import { datasetKeys, expectExactlyOnce, expectNewestFirst, keyOf, walk } from './walk.js';

// Page sizes lean small, where page boundaries fall most often, but reach the maximum too.
const pageSizes = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 100 })),
  {
    minLength: 1,
    maxLength: 4,
  },
);
const datasets = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  iotJobs: fc.integer({ min: 0, max: 70 }),
  importExportJobs: fc.integer({ min: 0, max: 50 }),
});

async function withStack<T>(
  options: Parameters<typeof startStack>[0],
  run: (s: Stack) => Promise<T>,
) {
  const stack = await startStack(options);
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

describe('walking a connection to its end', () => {
  it('jobs: every job of both sources exactly once, newest first', async () => {
    await fc.assert(
      fc.asyncProperty(datasets, pageSizes, async (data, sizes) =>
        withStack(data, async (stack) => {
          const { nodes } = await walk(stack, 'jobs', sizes);
          expectExactlyOnce(nodes, datasetKeys(stack.simulators.dataset));
          expectNewestFirst(nodes);
        }),
      ),
      { numRuns: 12 },
    );
  });

  it('jobs: exactly once even when IoT lists in no particular order', async () => {
    await fc.assert(
      fc.asyncProperty(datasets, pageSizes, async (data, sizes) =>
        withStack({ ...data, iotOrder: 'shuffled' }, async (stack) => {
          const { nodes } = await walk(stack, 'jobs', sizes);
          expectExactlyOnce(nodes, datasetKeys(stack.simulators.dataset));
        }),
      ),
      { numRuns: 8 },
    );
  });

  it('iotJobs: every job exactly once, in the upstream order', async () => {
    await fc.assert(
      fc.asyncProperty(datasets, pageSizes, fc.boolean(), async (data, sizes, shuffled) =>
        withStack({ ...data, iotOrder: shuffled ? 'shuffled' : 'newest-first' }, async (stack) => {
          const { nodes } = await walk(stack, 'iotJobs', sizes);
          expectExactlyOnce(nodes, datasetKeys(stack.simulators.dataset, ['IOT']));
          if (!shuffled) {
            expect(nodes.map((n) => n.jobId)).toEqual(
              stack.simulators.dataset.iotJobs.map((j) => j.jobId),
            );
          }
        }),
      ),
      { numRuns: 10 },
    );
  });

  it('importExportJobs: every job exactly once, newest first', async () => {
    await fc.assert(
      fc.asyncProperty(datasets, pageSizes, async (data, sizes) =>
        withStack(data, async (stack) => {
          const { nodes } = await walk(stack, 'importExportJobs', sizes);
          expect(nodes.map((n) => n.jobId)).toEqual(
            stack.simulators.dataset.importExportJobs.map((j) => j.jobId),
          );
        }),
      ),
      { numRuns: 10 },
    );
  });
});

describe('a larger account', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 1000, importExportJobs: 300 });
  });
  afterAll(() => stack.close());

  it('walks 1,300 jobs with the largest page, crossing IoT page boundaries', async () => {
    const { nodes, pages } = await walk(stack, 'jobs', [100]);
    expect(pages).toBe(13);
    expectExactlyOnce(nodes, datasetKeys(stack.simulators.dataset));
    expectNewestFirst(nodes);
  });

  it('walks with sizes that never line up with upstream pages', async () => {
    const { nodes } = await walk(stack, 'iotJobs', [97, 3, 61]);
    expect(nodes.map(keyOf)).toEqual(stack.simulators.dataset.iotJobs.map((j) => `IOT:${j.jobId}`));
  });

  it('keeps filters across pages', async () => {
    const { dataset } = stack.simulators;
    const filter = { status: 'COMPLETED', targetSelection: 'SNAPSHOT' } as const;
    const expected = dataset.iotJobs
      .filter((j) => j.status === filter.status && j.targetSelection === filter.targetSelection)
      .map((j) => j.jobId);
    const viaIot = await walk(stack, 'iotJobs', [13], { filter });
    expect(viaIot.nodes.map((n) => n.jobId)).toEqual(expected);
    const viaJobs = await walk(stack, 'jobs', [17], { sources: ['IOT'], iot: filter });
    expect(viaJobs.nodes.map((n) => n.jobId)).toEqual(expected);
  });
});
