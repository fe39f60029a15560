import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';
import { raw } from './raw-http.js';

// What a client gets when its request is wrong below GraphQL: bad HTTP, a content type or Accept
// the gateway cannot serve, a body that is not JSON, too big, or too slow. Always a JSON body
// with a code, never the parser's own words; over raw sockets where a client library would not
// send such a request.

const HEADERS_MS = 400;
const BODY_MS = 400;

/** A coded JSON error with none of Node's or the JSON parser's own words in it. */
function expectCoded(answer: { status: number; body: string }, status: number, code: string) {
  expect(answer.status).toBe(status);
  const json = JSON.parse(answer.body) as { errors: { extensions: { code: string } }[] };
  expect(json.errors[0]?.extensions.code).toBe(code);
  expect(answer.body).not.toMatch(/HPE_|Parse Error|Unexpected token|is not valid JSON|position/i);
}

describe('errors below GraphQL', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      clientTimeoutsMs: { headers: HEADERS_MS, body: BODY_MS },
      config: { introspection: false },
    });
  });
  afterAll(() => stack.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }).then(async (r) => ({
      status: r.status,
      type: r.headers.get('content-type'),
      body: await r.text(),
    }));

  it('answers a content type it cannot read 415, and an Accept it cannot satisfy 406', async () => {
    const xml = await post('<query>{ __typename }</query>', { 'content-type': 'application/xml' });
    expectCoded(xml, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(xml.type).toMatch(/^application\/json/);
    const png = await post('{"query":"{ __typename }"}', { accept: 'image/png' });
    expectCoded(png, 406, 'NOT_ACCEPTABLE');
  });

  it('answers invalid JSON 400 without the parser message or an echo of the body', async () => {
    const answer = await post('{"query": "{ __typename }", secret-looking-text');
    expectCoded(answer, 400, 'BAD_REQUEST');
    expect(answer.body).not.toContain('secret-looking-text');
    expect(answer.body).not.toContain('originalError');
  });

  it('answers what Node cannot parse with coded JSON: 400, and 431 for huge headers', async () => {
    const cases: [string, number, string][] = [
      ['GARBAGE\r\n\r\n', 400, 'BAD_REQUEST'],
      ['GET /graphql HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400, 'BAD_REQUEST'],
      [
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
        'BAD_REQUEST',
      ],
      ['GET /graphql HTTP/9.9\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
      [
        `GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'REQUEST_HEADER_FIELDS_TOO_LARGE',
      ],
    ];
    for (const [request, status, code] of cases) {
      const answer = await raw(stack.url, [request]);
      expectCoded(answer, status, code);
      expect(answer.head).toMatch(/content-type: application\/json/i);
      // The same after a good request on a kept-alive connection.
      const body = '{"query":"{ __typename }"}';
      const second = await raw(stack.url, [
        `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        100,
        request,
      ]);
      expect(second.body).toContain('"__typename":"Query"');
      const last = second.body.slice(second.body.lastIndexOf('{"errors"'));
      expectCoded(
        { status: Number(second.body.match(/HTTP\/1\.1 (\d{3})/)?.[1]), body: last },
        status,
        code,
      );
    }
  });

  it('answers an expectation it does not know 417', async () => {
    const answer = await raw(stack.url, [
      'POST /graphql HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    ]);
    expectCoded(answer, 417, 'EXPECTATION_FAILED');
  });

  it('cuts headers that do not arrive in time with 408', async () => {
    // A header line every 100 ms, never the end of the headers.
    const trickle = Array.from({ length: 30 }, (_, i) => [`X-Slow-${i}: 1\r\n`, 100]).flat();
    const answer = await raw(stack.url, ['POST /graphql HTTP/1.1\r\nHost: x\r\n', ...trickle]);
    expectCoded(answer, 408, 'REQUEST_TIMEOUT');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(answer.closedAfterMs).toBeLessThan(HEADERS_MS + 1500);
    // A connection that never sends anything is closed too.
    const silent = await raw(stack.url, [5000]);
    expect(silent.closedAfterMs).toBeLessThan(HEADERS_MS + 1500);
  });

  it('cuts a body that does not arrive in time with 408', async () => {
    const head =
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n';
    const trickled = await raw(stack.url, [
      head,
      ...Array.from({ length: 40 }, () => ['{', 100]).flat(),
    ]);
    expectCoded(trickled, 408, 'REQUEST_TIMEOUT');
    expect(trickled.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS + BODY_MS - 50);
    expect(trickled.closedAfterMs).toBeLessThan(HEADERS_MS + BODY_MS + 1500);
    const never = await raw(stack.url, [head, 5000]);
    expectCoded(never, 408, 'REQUEST_TIMEOUT');
    expect(never.closedAfterMs).toBeLessThan(HEADERS_MS + BODY_MS + 1500);
  });

  it('answers a 5 MB body sent without Expect with a 413 the client can read', async () => {
    // As Python's http.client and many scripts do: send everything, then read the answer.
    const body = Buffer.alloc(5 * 1024 * 1024, 'x');
    const answer = await raw(stack.url, [
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    ]);
    expect(answer.error).toBeUndefined();
    expectCoded(answer, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses an oversized body before it is sent when the client waits for 100 Continue', async () => {
    const answer = await raw(stack.url, [
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n',
    ]);
    expect(answer.head).not.toMatch(/100 Continue/);
    expectCoded(answer, 413, 'PAYLOAD_TOO_LARGE');
    const body = '{"query":"{ __typename }"}';
    const accepted = await raw(stack.url, [
      `POST /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      100,
      body,
    ]);
    expect(accepted.head).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(accepted.body).toContain('"__typename":"Query"');
  });
});

describe('the body limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { maxBodyBytes: 2048 } });
  });
  afterAll(() => stack.close());

  const sized = (bytes: number) => {
    const query = '{ __typename }';
    const prefix = `{"query":"${query}","extensions":{"pad":"`;
    const pad = 'x'.repeat(bytes - prefix.length - 3);
    return `${prefix}${pad}"}}`;
  };

  it('takes a body of exactly the limit and refuses one byte more, on both paths', async () => {
    for (const path of ['/graphql', '/subgraph']) {
      const url = new URL(path, stack.url);
      const send = (body: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(sized(2048)).toHaveLength(2048);
      const at = await send(sized(2048));
      expect(at.status).toBe(200);
      expect(await at.json()).toEqual({ data: { __typename: 'Query' } });
      const over = await send(sized(2049));
      expect(over.status).toBe(413);
      expect((await over.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('refuses a body without a declared length, whatever its size', async () => {
    const answer = await raw(stack.url, [
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      '1a\r\n{"query":"{ __typename }"}\r\n0\r\n\r\n',
    ]);
    expectCoded(answer, 411, 'LENGTH_REQUIRED');
  });
});

describe('readiness while draining', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('turns /ready to 503 as soon as the process starts to drain', async () => {
    const ready = new URL('/ready', stack.url);
    expect((await fetch(ready)).status).toBe(200);
    stack.gateway.drain();
    const draining = await fetch(ready);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ ready: false, draining: true });
    expect((await fetch(new URL('/health', stack.url))).status).toBe(200);
  });
});
