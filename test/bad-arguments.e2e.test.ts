import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCursorCodec, digestArgs } from '../src/pagination/cursor.js';
import { type Stack, startStack } from './harness.js';
import { IotJobsPage, JobsPage } from './operations.js';

// Every case must be refused with BAD_USER_INPUT before any upstream is called.
describe('bad cursors and page sizes', () => {
  let stack: Stack;
  let good: { jobs: string; iotJobs: string; filtered: string };

  beforeAll(async () => {
    stack = await startStack({ iotJobs: 80, importExportJobs: 40 });
    const jobs = await stack.query(JobsPage, { first: 5 });
    const iot = await stack.query(IotJobsPage, { first: 5 });
    const filtered = await stack.query(JobsPage, { first: 5, iot: { status: 'COMPLETED' } });
    good = {
      jobs: jobs.body.data?.jobs.pageInfo.endCursor as string,
      iotJobs: iot.body.data?.iotJobs?.pageInfo.endCursor as string,
      filtered: filtered.body.data?.jobs.pageInfo.endCursor as string,
    };
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCounters());

  function flip(cursor: string, at: number): string {
    const c = cursor[at] === 'A' ? 'B' : 'A';
    return cursor.slice(0, at) + c + cursor.slice(at + 1);
  }

  async function expectRejected(variables: Record<string, unknown>, field: 'jobs' | 'iotJobs') {
    const response =
      field === 'jobs'
        ? await stack.query(JobsPage, variables as never)
        : await stack.query(IotJobsPage, variables as never);
    expect(response.status).toBe(200);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(response.body)).not.toMatch(/stack|at \w+ \(/i);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  }

  it('accepts its own cursors', async () => {
    const response = await stack.query(JobsPage, { first: 5, after: good.jobs });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.jobs.edges).toHaveLength(5);
  });

  const cases: [string, (g: typeof good) => unknown][] = [
    ['garbage', () => 'not-a-cursor'],
    ['empty', () => ''],
    ['truncated', (g) => g.jobs.slice(0, -3)],
    ['truncated payload', (g) => g.jobs.slice(0, 20)],
    ['bit-flipped in the payload', (g) => flip(g.jobs, 10)],
    ['bit-flipped in the signature', (g) => flip(g.jobs, g.jobs.length - 2)],
    ['from a future version', (g) => g.jobs.replace(/^c2\./, 'c3.')],
    ['from an earlier version', (g) => g.jobs.replace(/^c2\./, 'c1.')],
    ['oversized', () => `c2.${'A'.repeat(5000)}.AAAAAAAAAAAAAAAAAAAAAA`],
    ['from another field', (g) => g.iotJobs],
    ['from other filters', (g) => g.filtered],
    [
      'signed with another secret',
      () =>
        createCursorCodec('somebody-elses-secret-key-value').encode(
          'jobs',
          digestArgs({ iot: {}, window: { after: null, before: null } }),
          { sources: new Map([['IMPORT_EXPORT', { position: { token: null } }]]) },
        ),
    ],
  ];
  for (const [name, make] of cases) {
    it(`refuses a cursor: ${name}`, async () => {
      await expectRejected({ first: 5, after: make(good) }, 'jobs');
    });
  }

  it('refuses a jobs cursor on iotJobs', async () => {
    await expectRejected({ first: 5, after: good.jobs }, 'iotJobs');
  });

  it('refuses a cursor when the sources differ', async () => {
    await expectRejected({ first: 5, after: good.jobs, sources: ['IOT'] }, 'jobs');
  });

  for (const first of [0, -1, 101, 1000, 2 ** 31 - 1]) {
    it(`refuses first: ${first}`, async () => {
      await expectRejected({ first }, 'jobs');
      await expectRejected({ first }, 'iotJobs');
    });
  }

  it('refuses an empty list of sources and malformed filter values', async () => {
    await expectRejected({ sources: [] }, 'jobs');
    await expectRejected({ filter: { thingGroupName: 'no spaces allowed' } }, 'iotJobs');
    await expectRejected({ iot: { namespaceId: 'x'.repeat(65) } }, 'jobs');
  });

  it('refuses values GraphQL itself cannot coerce, with no call either', async () => {
    for (const first of [2 ** 31, 1e12, '5', 1.5]) {
      const response = await stack.query(JobsPage, { first } as never);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.length).toBeGreaterThan(0);
    }
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });
});
