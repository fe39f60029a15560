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
    // The first page's token is answered with itself. A reader that trusted it would ask for the
    // same page forever; ours takes what that page holds and ends the listing there, in a bounded
    // number of calls, with nothing delivered twice.
    const { nodes, pages } = await walk(stack, 'iotJobs', [100]);
    expect(pages).toBeLessThanOrEqual(3);
    const ids = nodes.map((n) => n.jobId);
    expect(ids.length).toBeGreaterThanOrEqual(100);
    expect(ids).toEqual(stack.simulators.dataset.iotJobs.slice(0, ids.length).map((j) => j.jobId));
    expect(stack.calls().iot).toBeLessThanOrEqual(pages + 1);
  });
});
