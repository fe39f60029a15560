import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';

// What a client may ask of one request, and what it gets when it asks for too much: a coded
// error, an HTTP status below 500, and no upstream call.

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, json, text };
}

function nested(depth: number): string {
  let selection = 'jobId';
  for (let i = 0; i < depth; i++) selection = `details { targets } edges { node { ${selection} } }`;
  return selection;
}

describe('operation limits (defaults)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 200, importExportJobs: 100 });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCounters());

  async function expectRefused(query: string, code: string, variables?: unknown) {
    const response = await post(stack.url, { query, variables });
    expect(response.status).toBeLessThan(500);
    expect(response.json.errors?.[0]?.extensions?.code).toBe(code);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
    return response;
  }

  it('refuses documents deeper than 10', async () => {
    const deep = `{ jobs { edges { node { ... on IotJob { details { processDetails { numberOfQueuedThings } } } } } } }`;
    expect((await post(stack.url, { query: deep })).json.errors).toBeUndefined();
    const tooDeep = `{ a: jobs { edges { node { id ${'... on IotJob { '.repeat(1)}details { processDetails { x: numberOfQueuedThings } } } } } } }`;
    expect((await post(stack.url, { query: tooDeep })).json.errors).toBeUndefined();
    stack.resetCounters();
    await expectRefused(`{ jobs { ${nested(6)} } }`, 'OPERATION_TOO_COMPLEX');
  });

  it('refuses more than 15 aliases', async () => {
    const fields = Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ');
    await expectRefused(`{ ${fields} }`, 'OPERATION_TOO_COMPLEX');
    const bomb = Array.from(
      { length: 1000 },
      (_, i) => `j${i}: jobs(first: 1) { edges { cursor } }`,
    );
    await expectRefused(`{ ${bomb.join(' ')} }`, 'OPERATION_TOO_COMPLEX');
  });

  it('refuses more than 2000 tokens', async () => {
    const padding = Array.from({ length: 700 }, () => '__typename').join(' ');
    await expectRefused(`{ ${padding} ${padding} ${padding} }`, 'OPERATION_TOO_COMPLEX');
  });

  it('lets a full page with details through; six different ones would make too many upstream calls', async () => {
    const page = (alias: string, filter: string) =>
      `${alias}: jobs(first: 100${filter}) { edges { cursor node { id jobId createdAt ... on IotJob { status details { description targets comment reasonCode namespaceId processDetails { numberOfSucceededThings numberOfFailedThings } } } ... on ImportExportJob { ieStatus: status { progressCode carrier trackingNumber logKey } } } } }`;
    const one = await post(stack.url, { query: `{ ${page('a', '')} }` });
    expect(one.json.errors).toBeUndefined();
    stack.resetCounters();
    const filters = ['COMPLETED', 'CANCELED', 'IN_PROGRESS', 'SCHEDULED', 'DELETION_IN_PROGRESS'];
    const six = [page('a', ''), ...filters.map((f, i) => page(`f${i}`, `, iot: { status: ${f} }`))];
    const refused = await expectRefused(`{ ${six.join(' ')} }`, 'OPERATION_TOO_COMPLEX');
    expect(refused.json.errors?.[0]?.message).toMatch(
      /may make 624 upstream calls, more than the 200/,
    );
  });

  it('counts the size of the answer in the cost, upstream calls or not', async () => {
    // The same page fourteen times is read once, but answered fourteen times.
    const page = (alias: string) =>
      `${alias}: iotJobs(first: 100) { edges { cursor node { __typename id jobId source createdAt isCanceled jobArn thingGroupId targetSelection status lastUpdatedAt completedAt isConcurrent } } }`;
    const aliases = Array.from({ length: 14 }, (_, i) => page(`p${i}`));
    const refused = await expectRefused(`{ ${aliases.join(' ')} }`, 'OPERATION_TOO_COMPLEX');
    expect(refused.json.errors?.[0]?.message).toMatch(/costs \d+, more than the limit of 20000/);
    const fewer = await post(stack.url, { query: `{ ${aliases.slice(0, 6).join(' ')} }` });
    expect(fewer.json.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ iot: 1, importExport: 0 });
  });

  it('counts each id of nodes as an upstream call', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) =>
      Buffer.from(`IotJob:j${i}`).toString('base64url'),
    );
    const refused = await expectRefused(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on IotJob { details { description } } } }',
      'OPERATION_TOO_COMPLEX',
      { ids },
    );
    expect(refused.json.errors?.[0]?.extensions).toMatchObject({ upstreamCalls: 5000 });
  });

  it('takes at most 100 ids in nodes, however cheap the selection', async () => {
    const ids = Array.from({ length: 101 }, (_, i) =>
      Buffer.from(`IotJob:j${i}`).toString('base64url'),
    );
    await expectRefused('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', 'BAD_USER_INPUT', {
      ids,
    });
  });

  it('refuses bodies over 100 KB before reading them, and bodies of unknown length', async () => {
    const big = await post(stack.url, { query: `{ __typename } #${'x'.repeat(200_000)}` });
    expect(big.status).toBe(413);
    expect(big.json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }"}'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });

  it('refuses batched operations while batching is off', async () => {
    const response = await post(stack.url, [
      { query: '{ __typename }' },
      { query: '{ __typename }' },
    ]);
    expect(response.status).toBe(400);
    expect(response.json.errors?.[0]?.extensions?.code).toBeTypeOf('string');
  });

  it('refuses a GET without a CSRF header, accepts it with one', async () => {
    const query = encodeURIComponent('{ __typename }');
    const bare = await fetch(`${stack.url}?query=${query}`);
    expect(bare.status).toBe(403);
    expect((await bare.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    const ok = await fetch(`${stack.url}?query=${query}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toEqual({ __typename: 'Query' });
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const response = await post(
      stack.url,
      { query: '{ __typename }' },
      { origin: 'https://evil.example' },
    );
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('offers introspection and suggestions outside production', async () => {
    const response = await post(stack.url, { query: '{ __schema { queryType { name } } jbos }' });
    expect(response.json.errors?.[0]?.message).toMatch(/Did you mean/);
  });
});

describe('production settings', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      config: {
        introspection: false,
        corsOrigins: ['https://app.example.com'],
        apiKeys: ['key-one-0123456789abcdef', 'key-two-0123456789abcdef'],
        batchLimit: 2,
      },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCounters());

  const key = { 'x-api-key': 'key-two-0123456789abcdef' };

  it('requires an API key, in x-api-key or as a bearer token', async () => {
    const query = { query: '{ jobs(first: 1) { edges { cursor } } }' };
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': 'wrong-key-0123456789abc' },
      { authorization: 'Bearer nope' },
    ];
    for (const headers of attempts) {
      const response = await post(stack.url, query, headers);
      expect(response.status).toBe(401);
      expect(response.json.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(response.text).not.toContain('0123456789abcdef');
    }
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
    expect((await post(stack.url, query, key)).json.errors).toBeUndefined();
    const bearer = await post(stack.url, query, {
      authorization: 'Bearer key-one-0123456789abcdef',
    });
    expect(bearer.json.errors).toBeUndefined();
  });

  it('lets no operation through without a key, whatever the request accepts', async () => {
    const query = encodeURIComponent('{ jobs(first: 1) { edges { cursor } } }');
    for (const accept of ['text/html', 'text/html, application/json', 'application/json']) {
      const response = await fetch(`${stack.url}?query=${query}`, {
        headers: { accept, 'x-graphql-yoga-csrf': '1' },
      });
      expect(response.status).toBe(401);
    }
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });

  it('hides the schema: no introspection and no suggestions', async () => {
    const introspection = await post(stack.url, { query: '{ __schema { types { name } } }' }, key);
    expect(introspection.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await post(stack.url, { query: '{ jbos { edges { cursor } } }' }, key);
    expect(typo.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.text).not.toMatch(/Did you mean/);
  });

  it('answers CORS preflights for the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(stack.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-api-key',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('batches up to the limit', async () => {
    const two = await post(
      stack.url,
      [{ query: '{ __typename }' }, { query: '{ __typename }' }],
      key,
    );
    expect(two.status).toBe(200);
    expect(JSON.parse(two.text)).toHaveLength(2);
    const three = await post(
      stack.url,
      [{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }],
      key,
    );
    expect(three.status).toBeGreaterThanOrEqual(400);
    expect(three.status).toBeLessThan(500);
  });
});
