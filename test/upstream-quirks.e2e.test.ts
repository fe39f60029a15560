import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';
import { datasetKeys, expectExactlyOnce, walk } from './walk.js';

// Upstream misbehaviour that paging must survive without looping: pages that come back empty
// with a token to the real page, and a token that never moves.
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('IoT paging quirks', () => {
  it('skips empty pages that carry a nextToken, losing nothing', async () => {
    stack = await startStack({ iotJobs: 90, importExportJobs: 30 });
    const iot = stack.simulators.iot;
    if (iot) iot.quirks.emptyPages = true;
    const viaIot = await walk(stack, 'iotJobs', [7, 40]);
    expect(viaIot.nodes.map((n) => n.jobId)).toEqual(
      stack.simulators.dataset.iotJobs.map((j) => j.jobId),
    );
    const viaJobs = await walk(stack, 'jobs', [13]);
    expectExactlyOnce(viaJobs.nodes, datasetKeys(stack.simulators.dataset));
  });

  it('stops on a token that repeats instead of asking for the same page forever', async () => {
    stack = await startStack({ iotJobs: 400, importExportJobs: 0 });
    const iot = stack.simulators.iot;
    if (iot) iot.quirks.repeatToken = true;
    // Pages of 100 re-read IoT's first page until its 250 are used up, then follow its token,
    // which the upstream answers with itself. A reader that trusted the token would ask for the
    // same page forever; ours treats the repeat as the end of that page chain and keeps its
    // offset within the page it has, so the walk ends, in a bounded number of calls.
    const { nodes, pages } = await walk(stack, 'iotJobs', [100]);
    expect(pages).toBeLessThanOrEqual(5);
    expect(nodes.map((n) => n.jobId)).toEqual(stack.simulators.dataset.iotJobs.map((j) => j.jobId));
    expect(stack.calls().iot).toBeLessThanOrEqual(pages + 1);
  });
});
