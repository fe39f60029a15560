import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type SharedRedis } from '../src/redis.js';
import { type GraphQLResponse, type Stack, startStack } from './harness.js';
import { killRedisServers, type RedisServer, startRedisServer } from './redis-server.js';

// Two gateway instances, each with its own Redis connection, sharing one real redis-server: what
// a client does on one is known to the other (its rate, the documents it registered), and
// without Redis each instance carries on alone.

afterAll(killRedisServers);

let redis: RedisServer;
const connections: SharedRedis[] = [];
const stacks: Stack[] = [];

async function replica(config: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  const connection = createRedis({ url: redis.url, timeoutMs: 1000, keyPrefix: 'test:' });
  connections.push(connection);
  const stack = await startStack({ ...config, redis: connection });
  stacks.push(stack);
  // Connected before the test starts, so that it measures sharing, not start-up.
  const deadline = Date.now() + 5000;
  while (!connection.available() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(connection.available()).toBe(true);
  return stack;
}

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  await Promise.all(connections.map((c) => c.close()));
});

async function post(
  stack: Stack,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse & { headers: Headers }> {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse['body'],
  };
}

const codes = (answer: GraphQLResponse) => answer.body.errors?.map((e) => e.extensions?.code);

describe('rate limits shared through Redis', () => {
  let a: Stack;
  let b: Stack;
  const config = {
    // A bucket of 12 upstream calls, refilled at one a minute: a few pages empty it.
    config: { rateLimitPerMinute: 1, rateLimitBurst: 12, maxUpstreamCalls: 12 },
  };
  beforeAll(async () => {
    [a, b] = await Promise.all([replica(config), replica(config)]);
  });

  it('a client over its rate on one replica is limited on the other', async () => {
    const page = { query: '{ jobs(first: 5) { edges { node { id } } } }' };
    const first = await post(b, page);
    expect(first.status).toBe(200);
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 20 && !limited; i++) {
      const answer = await post(a, page);
      if (answer.status === 429) limited = answer;
      else expect(answer.body.errors).toBeUndefined();
    }
    expect(limited, 'replica A limits the client').toBeDefined();
    const onB = await post(b, page);
    expect(onB.status).toBe(429);
    expect(codes(onB)).toEqual(['RATE_LIMITED']);
    expect(Number(onB.headers.get('retry-after'))).toBeGreaterThan(0);
    // The bucket is one key in Redis, changed by one script: no replica keeps its own copy.
    expect(await redis.command('EXISTS', 'test:rl:ip:127.0.0.1')).toBe(':1\r\n');
  });

  it('with Redis gone, each replica limits on its own buckets and answers without waiting for it', async () => {
    await redis.stop();
    try {
      const page = { query: '{ jobs(first: 5) { edges { node { id } } } }' };
      // A fresh bucket on this replica: served again.
      expect((await post(b, page)).status).toBe(200);
      let limited = false;
      for (let i = 0; i < 20 && !limited; i++) limited = (await post(b, page)).status === 429;
      expect(limited).toBe(true);
    } finally {
      await redis.start();
    }
  });
});

describe('automatic persisted queries shared through Redis', () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    [a, b] = await Promise.all([replica(), replica()]);
  });

  const query = 'query Newest { jobs(first: 3) { edges { node { jobId source } } } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash } };

  it('a hash registered through one replica is answered by the other', async () => {
    const unknown = await post(b, { extensions });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(unknown.body.errors?.[0]?.message).toBe('PersistedQueryNotFound');

    const registered = await post(a, { query, extensions });
    expect(registered.status).toBe(200);
    expect(registered.body.errors).toBeUndefined();

    const byHash = await post(b, { extensions });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual(registered.body);
  });

  it('refuses a document whose hash is not its own, and never registers a document that does not validate', async () => {
    const mismatch = await post(a, {
      query: '{ jobs(first: 1) { edges { node { id } } } }',
      extensions,
    });
    expect(mismatch.status).toBe(400);
    expect(codes(mismatch)).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);

    const invalid = '{ nothingHere }';
    const invalidHash = createHash('sha256').update(invalid).digest('hex');
    const invalidExtensions = { persistedQuery: { version: 1, sha256Hash: invalidHash } };
    expect(codes(await post(a, { query: invalid, extensions: invalidExtensions }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(codes(await post(b, { extensions: invalidExtensions }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('keeps a document for an hour after its last use: each use renews it', async () => {
    const own = 'query Renewed { iotJobs(first: 1) { edges { cursor } } }';
    const hash = createHash('sha256').update(own).digest('hex');
    const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
    expect((await post(a, { query: own, extensions: ext })).status).toBe(200);
    const key = `test:apq:${hash}`;
    // Shorten its life, then use it.
    await redis.command('EXPIRE', key, '5');
    expect((await post(b, { extensions: ext })).status).toBe(200);
    const ttl = Number((await redis.command('TTL', key)).slice(1));
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('keeps no document larger than 32 KiB: it is run, and its client keeps sending it', async () => {
    const big = `query Big { jobs(first: 1) { edges { cursor } } }${' '.repeat(33 * 1024)}`;
    const ext = {
      persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(big).digest('hex') },
    };
    const full = await post(a, { query: big, extensions: ext });
    expect(full.status).toBe(200);
    expect(full.body.errors).toBeUndefined();
    expect(codes(await post(b, { extensions: ext }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('with Redis gone, an unknown hash is not found, as the protocol says, and the document sent again is served', async () => {
    await redis.stop();
    try {
      const other = 'query Oldest { importExportJobs(first: 2) { edges { node { jobId } } } }';
      const hash = createHash('sha256').update(other).digest('hex');
      const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
      expect(codes(await post(b, { extensions: ext }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const full = await post(b, { query: other, extensions: ext });
      expect(full.status).toBe(200);
      expect(full.body.errors).toBeUndefined();
    } finally {
      await redis.start();
    }
  });
});

describe('automatic persisted queries and the rate limit', () => {
  it('registers nothing for a client over its rate: a document is kept only once its operation is admitted', async () => {
    const limited = await replica({
      config: { rateLimitPerMinute: 1, rateLimitBurst: 3, maxUpstreamCalls: 3 },
    });
    const page = { query: '{ iotJobs(first: 5) { edges { node { id } } } }' };
    let over = false;
    for (let i = 0; i < 10 && !over; i++) over = (await post(limited, page)).status === 429;
    expect(over).toBe(true);
    const query = 'query Minted { iotJobs(first: 1) { edges { node { jobId } } } }';
    const ext = {
      persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') },
    };
    const refused = await post(limited, { query, extensions: ext });
    expect(refused.status).toBe(429);
    expect(codes(await post(limited, { extensions: ext }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(await redis.command('EXISTS', `test:apq:${ext.persistedQuery.sha256Hash}`)).toBe(
      ':0\r\n',
    );
  });
});
