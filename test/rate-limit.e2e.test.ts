import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';

// Per-client rate limits, counted in upstream calls: a bucket of 200 calls refilled at one every
// ten seconds (slow, so that a loaded machine cannot refill it between two requests). A page of 100 jobs with details is priced at 104 calls; a client can afford one, and
// the rest of what it asks for fails with 429 until its bucket refills. Other clients go on.

const DETAILED_PAGE = JSON.stringify({
  query:
    '{ jobs(first: 100) { edges { node { jobId ... on IotJob { details { description } } ... on ImportExportJob { s: status { carrier } } } } } }',
});

async function send(url: string, headers: Record<string, string>, body = DETAILED_PAGE) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const json = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
}

const RATE = { rateLimitPerMinute: 6, rateLimitBurst: 200 };

describe('rate limiting by client address behind a trusted proxy', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      iotJobs: 300,
      importExportJobs: 300,
      config: { ...RATE, trustedProxies: ['loopback'] },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.resetCounters());

  const from = (address: string) => ({ 'x-forwarded-for': address });

  it('answers a client over its rate 429 with Retry-After; another client is unaffected', async () => {
    const first = await send(stack.url, from('203.0.113.5'));
    expect(first.status).toBe(200);
    expect(first.json.errors).toBeUndefined();
    stack.resetCounters();

    const over = await send(stack.url, from('203.0.113.5'));
    expect(over.status).toBe(429);
    const seconds = Number(over.retryAfter);
    // 104 wanted, 98 left (102 calls were made), one every ten seconds.
    expect(seconds).toBeGreaterThan(40);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(over.json.data).toBeUndefined();
    expect(over.json.errors?.[0]?.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: seconds,
    });
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });

    const other = await send(stack.url, from('198.51.100.7'));
    expect(other.status).toBe(200);
    expect(other.json.errors).toBeUndefined();
    // The proxy's own address chain: the client is the last untrusted hop.
    const chained = await send(stack.url, from('198.51.100.99, 203.0.113.5'));
    expect(chained.status).toBe(429);
  });

  it('charges the calls made, not the estimate: what a request did not use comes back', async () => {
    // Priced at 102 calls (a page of 100 with details); the filter leaves some 34 jobs, so it
    // makes about 35. Charged at the estimate, a second one would not fit in the 98 left.
    const small = JSON.stringify({
      query:
        '{ jobs(first: 100, sources: [IOT], iot: { status: CANCELED, targetSelection: SNAPSHOT }) { edges { node { ... on IotJob { details { comment } } } } } }',
    });
    const client = from('192.0.2.44');
    for (let i = 0; i < 3; i++) {
      const answer = await send(stack.url, client, small);
      expect(answer.status).toBe(200);
    }
    // Together they made fewer calls than the bucket holds; their estimates add up to 306.
    expect(stack.calls().iot).toBeLessThan(200);
  });

  it('groups an IPv6 client by its /64', async () => {
    const a = from('2001:db8:1:2::1');
    const b = from('2001:db8:1:2:ffff::9');
    expect((await send(stack.url, a)).status).toBe(200);
    expect((await send(stack.url, b)).status).toBe(429);
    expect((await send(stack.url, from('2001:db8:1:3::1'))).status).toBe(200);
  });
});

describe('rate limiting without trusted proxies', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ iotJobs: 200, importExportJobs: 200, config: RATE });
  });
  afterAll(() => stack.close());

  it('ignores X-Forwarded-For: a client cannot make itself new buckets', async () => {
    expect((await send(stack.url, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await send(stack.url, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
  });
});

describe('rate limiting by API key', () => {
  let stack: Stack;
  const keys = ['client-one-0123456789', 'client-two-0123456789'];
  beforeAll(async () => {
    stack = await startStack({
      iotJobs: 200,
      importExportJobs: 200,
      config: { ...RATE, apiKeys: keys },
    });
  });
  afterAll(() => stack.close());

  it('gives every key its own bucket, whatever address it comes from', async () => {
    expect((await send(stack.url, { 'x-api-key': keys[0] as string })).status).toBe(200);
    const over = await send(stack.url, { authorization: `Bearer ${keys[0]}` });
    expect(over.status).toBe(429);
    expect(JSON.stringify(over.json)).not.toContain('0123456789');
    expect((await send(stack.url, { 'x-api-key': keys[1] as string })).status).toBe(200);
  });

  it('counts a request against the key it was admitted on: no fresh bucket from a made-up key', async () => {
    // Spend keys[1]'s bucket (a detailed page costs more than half of it). A made-up x-api-key
    // beside the valid bearer would be a new, full bucket if it were counted; it is refused.
    let spent = false;
    for (let i = 0; i < 3 && !spent; i++) {
      spent = (await send(stack.url, { 'x-api-key': keys[1] as string })).status === 429;
    }
    expect(spent).toBe(true);
    const madeUp = await send(stack.url, {
      authorization: `Bearer ${keys[1]}`,
      'x-api-key': 'made-up-key-for-a-fresh-bucket',
    });
    expect(madeUp.status).toBe(401);
    expect((await send(stack.url, { authorization: `Bearer ${keys[1]}` })).status).toBe(429);
  });
});
