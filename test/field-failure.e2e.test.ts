import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';
import { JobsWithDetails } from './operations.js';

// A failing DescribeJob or GetStatus nulls only the field that asked for it, with a coded error;
// the page and every other field stand.
describe('details and status failing on their own', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 40, importExportJobs: 40 });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.simulators.iot?.faults.reset();
    stack.simulators.importExport?.faults.reset();
  });

  for (const [source, operation] of [
    ['IOT', 'DescribeJob'],
    ['IMPORT_EXPORT', 'GetStatus'],
  ] as const) {
    it(`${operation} failing: its fields are null with a coded error, the page stands`, async () => {
      const simulator = source === 'IOT' ? stack.simulators.iot : stack.simulators.importExport;
      simulator?.faults.set({ errorRate: 1, operations: [operation] });
      const response = await stack.query(JobsWithDetails, { first: 10 });
      expect(response.status).toBe(200);
      const nodes = response.body.data?.jobs.edges.map((e) => e.node) ?? [];
      expect(nodes).toHaveLength(10);
      const failing = nodes.filter((n) =>
        source === 'IOT' ? n.__typename === 'IotJob' : n.__typename === 'ImportExportJob',
      );
      const healthy = nodes.filter((n) => !failing.includes(n));
      expect(failing.length).toBeGreaterThan(0);
      expect(healthy.length).toBeGreaterThan(0);
      for (const node of failing) {
        if (node.__typename === 'IotJob') expect(node.details).toBeNull();
        if (node.__typename === 'ImportExportJob') expect(node.status).toBeNull();
        expect(node.jobId).toBeTruthy();
      }
      for (const node of healthy) {
        if (node.__typename === 'IotJob') expect(node.details?.description).toBeTruthy();
        if (node.__typename === 'ImportExportJob') expect(node.status?.trackingNumber).toBeTruthy();
      }
      const errors = response.body.errors ?? [];
      expect(errors.length).toBeGreaterThanOrEqual(failing.length);
      for (const error of errors) {
        expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source });
        expect(error.path?.[0]).toBe('jobs');
        expect(error.path?.at(-1)).toMatch(source === 'IOT' ? /^(details|again)$/ : /^status$/);
      }
    });
  }
});
