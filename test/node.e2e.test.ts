import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFieldsFragment } from './gql/graphql.js';
import { type Stack, startStack } from './harness.js';
import { NodeById, NodesByIds } from './operations.js';
import { walk } from './walk.js';

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('node and nodes', () => {
  let stack: Stack;
  let listed: JobFieldsFragment[];

  beforeAll(async () => {
    stack = await startStack({ iotJobs: 70, importExportJobs: 50 });
    listed = (await walk(stack, 'jobs', [100])).nodes;
  });
  afterAll(() => stack.close());

  it('refetches every listed job, field for field equal', async () => {
    expect(listed).toHaveLength(120);
    // Leading zeros on both sides, and IoT jobs with and without a thing group, are in there.
    expect(listed.some((j) => j.source === 'IMPORT_EXPORT' && /^00/.test(j.jobId))).toBe(true);
    expect(listed.some((j) => j.source === 'IOT' && /^00/.test(j.jobId))).toBe(true);
    expect(listed.some((j) => j.__typename === 'IotJob' && j.thingGroupId === null)).toBe(true);
    expect(listed.some((j) => j.__typename === 'IotJob' && j.completedAt === null)).toBe(true);
    for (let i = 0; i < listed.length; i += 40) {
      const chunk = listed.slice(i, i + 40);
      const response = await stack.query(NodesByIds, { ids: chunk.map((j) => j.id) });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.nodes).toEqual(chunk);
    }
  });

  it('refetches one job by id', async () => {
    for (const job of [listed[0], listed.find((j) => j.source === 'IMPORT_EXPORT')]) {
      const response = await stack.query(NodeById, { id: job?.id as string });
      expect(response.body.data?.node).toEqual(job);
    }
  });

  it('answers null for a well-formed id of a job that does not exist', async () => {
    const response = await stack.query(NodesByIds, {
      ids: [encode('IotJob:no-such-job'), listed[0]?.id as string, encode('ImportExportJob:NOPE1')],
    });
    expect(response.status).toBe(200);
    expect(response.body.data?.nodes).toEqual([null, listed[0], null]);
  });

  it('refuses malformed ids with BAD_USER_INPUT and never crashes', async () => {
    const bad = [
      '',
      'not base64 at all!',
      encode('NoSuchType:abc'),
      encode('IotJob:'),
      encode(':abc'),
      encode('justtext'),
      'A'.repeat(10_000),
    ];
    for (const id of bad) {
      const response = await stack.query(NodeById, { id });
      expect(response.status).toBe(200);
      expect(response.body.data?.node ?? null).toBeNull();
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
