import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { IoTClient, ListJobsCommand, paginateListJobs } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createImportExportUpstream } from '../src/upstreams/import-export/client.js';

/** Starts `npm run simulators`'s entry point with `env` and waits for its last start-up line. */
async function startProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/main.ts'], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, IOT_SIMULATOR_PORT: '0', IMPORT_EXPORT_SIMULATOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  const deadline = Date.now() + 20_000;
  while (!/Access key/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`no start-up line: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const KEYS = {
  accessKeyId: SIMULATOR_ACCESS_KEY_ID,
  secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
};

// `npm run simulators` as a user runs it: its own process, the endpoints it prints, and a real
// client of each protocol paging through everything it serves.
describe('standalone simulators', () => {
  let child: ChildProcess;
  let output = '';
  let endpoints: { iot: string; importExport: string };

  beforeAll(async () => {
    const started = await startProcess({
      SIMULATOR_IOT_JOBS: '120',
      SIMULATOR_IMPORT_EXPORT_JOBS: '45',
    });
    child = started.child;
    output = started.output();
    endpoints = {
      iot: /IoT simulator: +(http:\/\/\S+)/.exec(output)?.[1] as string,
      importExport: /Import\/Export simulator: +(http:\/\/\S+)/.exec(output)?.[1] as string,
    };
  });

  afterAll(() => stop(child));

  it('prints both endpoints, the job counts and how to point the gateway at them', () => {
    expect(output).toMatch(/IoT simulator: +http:\/\/127\.0\.0\.1:\d+ \(120 jobs\)/);
    expect(output).toMatch(/Import\/Export simulator: +http:\/\/127\.0\.0\.1:\d+ \(45 jobs\)/);
    expect(output).toContain(`IOT_ENDPOINT=${endpoints.iot}`);
    expect(output).toContain(SIMULATOR_ACCESS_KEY_ID);
    expect(output).not.toContain(SIMULATOR_SECRET_ACCESS_KEY);
  });

  it('serves IoT to the AWS SDK with the documented test credentials', async () => {
    const client = new IoTClient({
      region: 'us-east-1',
      endpoint: endpoints.iot,
      credentials: KEYS,
    });
    let count = 0;
    for await (const page of paginateListJobs({ client, pageSize: 50 }, {}))
      count += page.jobs?.length ?? 0;
    expect(count).toBe(120);
    client.destroy();
  });

  it('serves Import/Export to its client', async () => {
    const upstream = createImportExportUpstream({
      endpoint: endpoints.importExport,
      credentials: async () => KEYS,
      timeoutMs: 5000,
    });
    const page = await upstream.listJobs({ maxJobs: 1000 });
    expect(page.items).toHaveLength(45);
    expect(page.isTruncated).toBe(false);
    upstream.destroy();
  });

  it('stops on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});

describe('standalone simulators with several IoT regions', () => {
  let child: ChildProcess | undefined;

  afterAll(() => stop(child));

  it('prints one IoT endpoint per region and the gateway settings for them', async () => {
    const started = await startProcess({
      SIMULATOR_IOT_REGIONS: 'us-east-1, eu-west-1',
      SIMULATOR_IOT_JOBS: '30',
      SIMULATOR_IMPORT_EXPORT_JOBS: '3',
    });
    child = started.child;
    const output = started.output();
    const urls = ['us-east-1', 'eu-west-1'].map(
      (region) =>
        new RegExp(`IoT simulator ${region}: +(http://\\S+) \\(30 jobs\\)`).exec(output)?.[1],
    );
    expect(urls.every((url) => url !== undefined)).toBe(true);
    expect(output).toContain(
      `IOT_REGIONS=us-east-1,eu-west-1 IOT_ENDPOINTS=us-east-1=${urls[0]},eu-west-1=${urls[1]}`,
    );
    const client = new IoTClient({ region: 'eu-west-1', endpoint: urls[1], credentials: KEYS });
    try {
      const page = await client.send(new ListJobsCommand({ maxResults: 250 }));
      expect(page.jobs).toHaveLength(30);
      expect(page.jobs?.[0]?.jobArn).toContain(':iot:eu-west-1:');
    } finally {
      client.destroy();
    }
  });

  it('refuses a region list that repeats a region, naming the variable', async () => {
    const failed = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/main.ts'], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, SIMULATOR_IOT_REGIONS: 'eu-west-1,eu-west-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    failed.stderr?.on('data', (chunk) => {
      errors += String(chunk);
    });
    const [code] = await once(failed, 'exit');
    expect(code).toBe(2);
    expect(errors).toContain('SIMULATOR_IOT_REGIONS names a region twice');
  });
});
