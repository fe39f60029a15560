import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway } from '../src/app.js';
import { loadConfig, SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { createSourceRegistry, defaultSources } from '../src/sources/registry.js';
import { destroyUpstreams } from '../src/upstreams/breaker.js';
import { createUpstreams } from '../src/upstreams/index.js';
import { FAST_RETRY, type Stack, startStack } from './harness.js';
import { JobsPage } from './operations.js';

const SECRET = 'shared-cursor-secret-0123456789';

describe('cursors', () => {
  let stack: Stack;
  let other: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    stack = await startStack({ iotJobs: 50, importExportJobs: 50, cursorSecret: SECRET });
    // A second gateway instance over the same upstreams, sharing only the cursor secret.
    const keys = {
      accessKeyId: SIMULATOR_ACCESS_KEY_ID,
      secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
    };
    const upstreams = createUpstreams(
      {
        upstreamTimeoutMs: 2000,
        upstreamMaxAttempts: 3,
        credentials: { iot: keys, importExport: keys },
        retry: FAST_RETRY,
      },
      {
        iot: new Map([['us-east-1', stack.simulators.iot?.url]]),
        importExport: stack.simulators.importExport?.url,
      },
    );
    const gateway = createGateway({
      upstreams,
      sources: createSourceRegistry(defaultSources(upstreams, 'newest-first')),
      config: {
        // The defaults a deployment gets, then what the test sets.
        ...loadConfig({}),
        cursorSecret: SECRET,
        requestTimeoutMs: 5000,
        detailConcurrency: 4,
        graphiql: false,
        introspection: true,
      },
    });
    const server = createServer(gateway.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    other = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
          destroyUpstreams(upstreams);
        }),
    };
  });
  afterAll(async () => {
    await other.close();
    await stack.close();
  });

  async function page(url: string, first: number, after: string | null) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(JobsPage), variables: { first, after } }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    return body.data.jobs as {
      edges: { cursor: string; node: { jobId: string; source: string } }[];
      pageInfo: { endCursor: string };
    };
  }

  it('are stateless: a walk started on one instance continues on another with the same secret', async () => {
    const full = await page(stack.url, 60, null);
    const first = await page(stack.url, 25, null);
    const second = await page(other.url, 35, first.pageInfo.endCursor);
    expect([...first.edges, ...second.edges].map((e) => e.node)).toEqual(
      full.edges.map((e) => e.node),
    );
  });

  it('resume from any edge, not only the end cursor', async () => {
    const full = await page(stack.url, 40, null);
    const first = await page(stack.url, 20, null);
    for (const index of [0, 3, 11, 19]) {
      const edge = first.edges[index];
      const next = await page(stack.url, 10, edge?.cursor ?? null);
      expect(next.edges.map((e) => e.node)).toEqual(
        full.edges.slice(index + 1, index + 11).map((e) => e.node),
      );
    }
  });
});
