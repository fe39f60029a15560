import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What `npm start` runs: the bundle in dist/, built by `npm run build`. It differs from the
// sources the other tests load (one file, graphql's ES module build, packages loaded on first
// use), so it gets its own check: a query, the subgraph and the GraphiQL page.
const root = new URL('..', import.meta.url);

describe('the bundle npm start runs', () => {
  let child: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root });
    child = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    const deadline = Date.now() + 20_000;
    while (!/ready at (http:\/\/\S+)\/graphql/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not ready: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    base = /ready at (http:\/\/\S+)\/graphql/.exec(output)?.[1] as string;
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  const post = async (path: string, query: string) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: await response.json() };
  };

  it('answers a merged page', async () => {
    const { status, body } = await post(
      '/graphql',
      '{ jobs(first: 5) { edges { node { source } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.jobs.edges).toHaveLength(5);
  });

  it('keeps coded errors coded (one graphql in the bundle)', async () => {
    const { body } = await post('/graphql', '{ jobs(first: 500) { edges { cursor } } }');
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('serves the subgraph, whose libraries load on first use', async () => {
    const { status, body } = await post('/subgraph', '{ _service { sdl } }');
    expect(status).toBe(200);
    expect(body.data._service.sdl).toContain('@key(fields: "id")');
  });

  it('serves the offline GraphiQL page', async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('jobs-gateway');
    expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr/);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
