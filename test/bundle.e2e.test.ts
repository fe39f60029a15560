import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';

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

/** The environment of a child gateway: this one's, less what vitest and AWS put in it. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|NODE_ENV$|VITEST|CURSOR_SECRET$|UPSTREAMS$)/.test(name)) env[name] = value;
  }
  return { ...env, PORT: '0', LOG_LEVEL: 'warn', ...extra };
}

interface Started {
  readonly child: ChildProcess;
  /** Started in its own process group (npm and the shell it runs), stopped as a group. */
  readonly group: boolean;
  readonly base: string;
  readonly output: () => string;
  readonly errors: () => string;
}

async function startProcess(
  command: string,
  args: string[],
  cwd: string | URL,
  env: NodeJS.ProcessEnv,
  group = false,
): Promise<Started> {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    errors += String(chunk);
  });
  const deadline = Date.now() + 30_000;
  while (!/ready at (http:\/\/\S+)\/graphql/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`not ready: ${output}${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // The lines after the ready line come with it or right after.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const base = /ready at (http:\/\/\S+)\/graphql/.exec(output)?.[1] as string;
  return { child, group, base, output: () => output, errors: () => errors };
}

async function stopProcess(started: Started | undefined): Promise<number | null> {
  if (!started) return null;
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  if (started.group && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  else child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

const SDK_WARNING = /NodeVersionSupportWarning|AWS SDK for JavaScript/;

/** The paths the Dockerfile's last stage copies into /app, from the context or the build stage. */
function runtimeStageCopies(): string[] {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
  const runtime = dockerfile.split(/^FROM /m).at(-1) ?? '';
  const paths = [...runtime.matchAll(/^COPY (.+)$/gm)].flatMap((match) => {
    const words = (match[1] as string).split(/\s+/).filter((word) => !word.startsWith('--'));
    return words.slice(0, -1).map((path) => path.replace(/^\/app\//, ''));
  });
  expect(paths, 'what the runtime stage copies').toEqual([
    'package.json',
    'package-lock.json',
    'dist',
  ]);
  return paths;
}

describe('production: built once, then run from a copy with production dependencies only', () => {
  let copy = '';
  let gateway: Started | undefined;
  const secret = 'production-cursor-secret-0123456789';

  beforeAll(async () => {
    // What the Dockerfile's runtime stage does: what it copies (the manifest, the lock file, the
    // build output), and nothing else, then `npm ci --omit=dev`.
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root });
    copy = await mkdtemp(join(tmpdir(), 'jobs-gateway-production-'));
    for (const entry of runtimeStageCopies()) {
      await cp(new URL(entry, root), join(copy, entry), { recursive: true });
    }
    await promisify(execFile)(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: copy, env: cleanEnv({}) },
    );
  }, 180_000);

  afterAll(async () => {
    await stopProcess(gateway);
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('has no dev dependency installed, and nothing of the sources', () => {
    expect(existsSync(join(copy, 'scripts'))).toBe(false);
    expect(existsSync(join(copy, 'src'))).toBe(false);
    for (const dev of ['esbuild', 'vitest', 'typescript', '@apollo/client']) {
      expect(existsSync(join(copy, 'node_modules', dev)), dev).toBe(false);
    }
    expect(existsSync(join(copy, 'node_modules', 'graphql-yoga'))).toBe(true);
  });

  it('refuses to start in production without CURSOR_SECRET, in one line', async () => {
    const result = await promisify(execFile)(process.execPath, ['dist/main.js'], {
      cwd: copy,
      env: cleanEnv({ NODE_ENV: 'production' }),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 2 });
    expect((result as { stderr: string }).stderr.trim()).toBe(
      'jobs-gateway: invalid configuration: CURSOR_SECRET is required when NODE_ENV=production',
    );
  });

  it('starts with `npm start` (no rebuild), answers a query, and prints no SDK warning', async () => {
    gateway = await startProcess(
      'npm',
      ['start', '--silent'],
      copy,
      cleanEnv({ NODE_ENV: 'production', CURSOR_SECRET: secret }),
    );
    expect(gateway.output()).not.toMatch(SDK_WARNING);
    expect(gateway.errors()).toBe('');
    expect(gateway.output()).not.toMatch(/no CURSOR_SECRET/);
    const response = await fetch(`${gateway.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ jobs(first: 3) { edges { node { jobId source } } } }' }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.jobs.edges).toHaveLength(3);
  });

  it('has the production defaults: no introspection, no GraphiQL', async () => {
    const base = gateway?.base as string;
    const introspection = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    });
    expect((await introspection.json()).errors[0].extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('runs as the container does (node dist/main.js) and stops on SIGTERM with exit code 0', async () => {
    await stopProcess(gateway);
    gateway = await startProcess(
      process.execPath,
      ['dist/main.js'],
      copy,
      cleanEnv({ NODE_ENV: 'production', CURSOR_SECRET: secret }),
    );
    expect(gateway.output()).not.toMatch(SDK_WARNING);
    expect(gateway.errors()).toBe('');
    expect((await fetch(`${gateway.base}/health`)).status).toBe(200);
    expect(await stopProcess(gateway)).toBe(0);
    expect(gateway.output()).toMatch(/SIGTERM received/);
    expect(gateway.errors()).toBe('');
  });
});

describe('npm start in a checkout with the dev dependencies', () => {
  it('stops when the build fails, without starting the dist/ already there', async () => {
    const checkout = await mkdtemp(join(tmpdir(), 'jobs-gateway-checkout-'));
    try {
      await cp(new URL('package.json', root), join(checkout, 'package.json'));
      await cp(new URL('scripts', root), join(checkout, 'scripts'), { recursive: true });
      await symlink(fileURLToPath(new URL('node_modules', root)), join(checkout, 'node_modules'));
      await mkdir(join(checkout, 'src', 'simulators'), { recursive: true });
      await writeFile(join(checkout, 'src', 'main.ts'), 'export const broken = ;\n');
      await writeFile(join(checkout, 'src', 'simulators', 'main.ts'), 'export {};\n');
      await mkdir(join(checkout, 'dist'));
      await writeFile(join(checkout, 'dist', 'main.js'), "console.log('an earlier build');\n");
      const result = await promisify(execFile)('npm', ['start'], {
        cwd: checkout,
        env: cleanEnv({}),
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/src\/main\.ts:1:\d+/);
      expect(result.stdout).not.toMatch(/an earlier build/);
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('AWS credentials, resolved once at start', () => {
  let simulators: Simulators;
  let home = '';

  beforeAll(async () => {
    simulators = await startSimulators({
      data: { seed: 42, iotJobs: 20, importExportJobs: 10 },
      credentials: {
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      },
    });
    // An empty home: no ~/.aws of the machine running the tests.
    home = await mkdtemp(join(tmpdir(), 'jobs-gateway-home-'));
  });

  afterAll(async () => {
    await simulators?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const awsEnv = (extra: Record<string, string>) =>
    cleanEnv({
      UPSTREAMS: 'aws',
      IOT_ENDPOINT: simulators.iot?.url as string,
      IMPORT_EXPORT_ENDPOINT: simulators.importExport?.url as string,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...extra,
    });

  async function codesOf(base: string) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ iotJobs(first: 2) { edges { cursor } } importExportJobs(first: 2) { edges { cursor } } }',
      }),
    });
    const body = await response.json();
    return (body.errors as { extensions: { code: string; source: string } }[]).map(
      (e) => `${e.extensions.source}:${e.extensions.code}`,
    );
  }

  it('says at start that none were found, and each query answers UPSTREAM_NO_CREDENTIALS', async () => {
    simulators.iot?.counters.reset();
    simulators.importExport?.counters.reset();
    const gateway = await startProcess(process.execPath, ['dist/main.js'], root, awsEnv({}));
    try {
      expect(gateway.errors()).toMatch(
        /^warning: no AWS credentials found .*UPSTREAM_NO_CREDENTIALS/m,
      );
      expect(gateway.errors()).not.toMatch(SDK_WARNING);
      expect((await codesOf(gateway.base)).sort()).toEqual([
        'IMPORT_EXPORT:UPSTREAM_NO_CREDENTIALS',
        'IOT:UPSTREAM_NO_CREDENTIALS',
      ]);
      // Nothing was sent.
      expect(simulators.iot?.counters.snapshot().total).toBe(0);
      expect(simulators.importExport?.counters.snapshot().total).toBe(0);
    } finally {
      await stopProcess(gateway);
    }
  });

  it('finds them in the environment; the upstream refusing them is UPSTREAM_AUTH', async () => {
    const gateway = await startProcess(
      process.execPath,
      ['dist/main.js'],
      root,
      awsEnv({
        AWS_ACCESS_KEY_ID: SIMULATOR_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: 'not-the-secret-0123456789',
      }),
    );
    try {
      expect(gateway.output()).toMatch(/^AWS credentials: found/m);
      expect(gateway.errors()).toBe('');
      expect((await codesOf(gateway.base)).sort()).toEqual([
        'IMPORT_EXPORT:UPSTREAM_AUTH',
        'IOT:UPSTREAM_AUTH',
      ]);
    } finally {
      await stopProcess(gateway);
    }
  });
});
