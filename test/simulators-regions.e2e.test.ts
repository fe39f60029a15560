import { IoTClient, ListJobsCommand, paginateListJobs } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulators, startSimulators } from '../src/simulators/index.js';
import { failureOf, TEST_CREDENTIALS } from './simulator-requests.js';

/**
 * One IoT simulator per region: each serves its own data with its region in every ARN, and
 * accepts only requests signed for its own region, as AWS's regional endpoints do.
 */

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

let simulators: Simulators;

beforeAll(async () => {
  simulators = await startSimulators({
    data: { seed: 42, iotJobs: 40, importExportJobs: 5 },
    credentials: TEST_CREDENTIALS,
    iotRegions: REGIONS,
    iotJobsByRegion: { 'ap-southeast-2': 25 },
  });
});

afterAll(() => simulators.close());

function clientFor(region: string, signingRegion = region): IoTClient {
  const target = simulators.iotByRegion.get(region);
  if (!target) throw new Error(`no simulator for ${region}`);
  return new IoTClient({
    region: signingRegion,
    endpoint: target.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

async function allJobIds(client: IoTClient): Promise<string[]> {
  const jobs: string[] = [];
  for await (const page of paginateListJobs({ client, pageSize: 250 }, {})) {
    for (const job of page.jobs ?? []) jobs.push(job.jobId as string);
  }
  return jobs;
}

describe('several IoT regions', () => {
  it('starts one simulator per region, the first as simulators.iot', () => {
    expect([...simulators.iotByRegion.keys()]).toEqual(REGIONS);
    expect(simulators.iot).toBe(simulators.iotByRegion.get('us-east-1'));
    expect(new Set([...simulators.iotByRegion.values()].map((sim) => sim.url)).size).toBe(3);
    for (const [region, sim] of simulators.iotByRegion) expect(sim.region).toBe(region);
    expect(simulators.dataset).toBe(simulators.datasetByRegion.get('us-east-1'));
    expect(simulators.importExport?.live.jobs()).toHaveLength(5);
  });

  it('gives each region its own data, its region in every ARN, and some ids in common', async () => {
    const byRegion = new Map<string, string[]>();
    for (const region of REGIONS) {
      const client = clientFor(region);
      try {
        byRegion.set(region, await allJobIds(client));
        const page = await client.send(new ListJobsCommand({ maxResults: 250 }));
        for (const job of page.jobs ?? []) expect(job.jobArn).toContain(`:iot:${region}:`);
      } finally {
        client.destroy();
      }
    }
    const [us, eu, ap] = REGIONS.map((region) => byRegion.get(region) as string[]);
    expect(us).toHaveLength(40);
    expect(eu).toHaveLength(40);
    expect(ap).toHaveLength(25);
    expect(us).toEqual(simulators.dataset.iotJobs.map((job) => job.jobId));
    expect(eu).not.toEqual(us);
    // Job ids are unique per region only: the leading-zero ids recur in every region.
    const shared = (us as string[]).filter((id) => (eu as string[]).includes(id));
    expect(shared.length).toBeGreaterThanOrEqual(3);
    expect(shared.every((id) => /^00\d+$/.test(id))).toBe(true);
    expect(shared.filter((id) => (ap as string[]).includes(id)).length).toBeGreaterThanOrEqual(2);
  });

  it("verifies each region's own signature and refuses another region's", async () => {
    const wrong = clientFor('eu-west-1', 'us-east-1');
    const right = clientFor('eu-west-1');
    try {
      const error = await failureOf(wrong.send(new ListJobsCommand({})));
      expect(error).toMatchObject({
        name: 'InvalidSignatureException',
        message: expect.stringContaining("not 'us-east-1'"),
        $metadata: { httpStatusCode: 403 },
      });
      expect(simulators.iotByRegion.get('eu-west-1')?.counters.snapshot().authFailures).toBe(1);
      expect((await right.send(new ListJobsCommand({ maxResults: 1 }))).jobs).toHaveLength(1);
    } finally {
      wrong.destroy();
      right.destroy();
    }
  });

  it('keeps live changes and tokens per region', async () => {
    const eu = simulators.iotByRegion.get('eu-west-1');
    const created = eu?.live.createJob();
    expect(created?.jobArn).toContain(':iot:eu-west-1:');
    expect(simulators.iot?.live.job(created?.jobId as string)).toBeUndefined();
    const euClient = clientFor('eu-west-1');
    const usClient = clientFor('us-east-1');
    try {
      const page = await euClient.send(new ListJobsCommand({ maxResults: 2 }));
      expect(page.jobs?.[0]?.jobId).toBe(created?.jobId);
      // A token of one region means nothing to another.
      const foreign = await failureOf(
        usClient.send(new ListJobsCommand({ maxResults: 2, nextToken: page.nextToken })),
      );
      expect(foreign.name).toBe('InvalidRequestException');
    } finally {
      euClient.destroy();
      usClient.destroy();
      eu?.live.reset();
    }
  });

  it('refuses a region list that is empty, repeats a region or names no region', async () => {
    const options = {
      data: { seed: 1, iotJobs: 1, importExportJobs: 0 },
      credentials: TEST_CREDENTIALS,
    };
    await expect(startSimulators({ ...options, iotRegions: [] })).rejects.toThrow(/at least one/);
    await expect(
      startSimulators({ ...options, iotRegions: ['eu-west-1', 'eu-west-1'] }),
    ).rejects.toThrow(/twice/);
    await expect(startSimulators({ ...options, iotRegions: ['Europe'] })).rejects.toThrow(
      /not an AWS region/,
    );
  });

  it('closes every simulator, and frees the others when one port is taken', async () => {
    const busy = simulators.iotByRegion.get('eu-west-1')?.port as number;
    await expect(
      startSimulators({
        data: { seed: 1, iotJobs: 1, importExportJobs: 1 },
        credentials: TEST_CREDENTIALS,
        iotRegions: ['us-east-1', 'eu-west-1'],
        extraIotPorts: [busy],
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const more = await startSimulators({
      data: { seed: 1, iotJobs: 1, importExportJobs: 1 },
      credentials: TEST_CREDENTIALS,
      iotRegions: ['us-east-1', 'eu-west-1'],
    });
    const urls = [...more.iotByRegion.values()].map((sim) => sim.url);
    await more.close();
    for (const url of [...urls, more.importExport?.url as string]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });
});
