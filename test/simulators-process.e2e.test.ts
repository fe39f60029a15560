import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { IoTClient, paginateListJobs } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createImportExportUpstream } from '../src/upstreams/import-export/client.js';

// `npm run simulators` as a user runs it: its own process, the endpoints it prints, and a real
// client of each protocol paging through everything it serves.
describe('standalone simulators', () => {
  let child: ChildProcess;
  let output = '';
  let endpoints: { iot: string; importExport: string };

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/main.ts'], {
      cwd: new URL('..', import.meta.url),
      env: {
        ...process.env,
        IOT_SIMULATOR_PORT: '0',
        IMPORT_EXPORT_SIMULATOR_PORT: '0',
        SIMULATOR_IOT_JOBS: '120',
        SIMULATOR_IMPORT_EXPORT_JOBS: '45',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    const deadline = Date.now() + 20_000;
    while (!/Import\/Export simulator: +http/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no start-up line: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    endpoints = {
      iot: /IoT simulator: +(http:\/\/\S+)/.exec(output)?.[1] as string,
      importExport: /Import\/Export simulator: +(http:\/\/\S+)/.exec(output)?.[1] as string,
    };
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

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
      credentials: {
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      },
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
      credentials: async () => ({
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      }),
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
