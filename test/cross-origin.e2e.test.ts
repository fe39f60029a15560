import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.js';
import { type Stack, startStack } from './harness.js';

/**
 * CORS and CSRF prevention together: which requests a browser page on another origin can make the
 * gateway run, and what the browser then tells its developer. First over plain HTTP with the
 * headers browsers send, then in Chromium from two real origins (one allowed, one not).
 */

const QUERY = '{ jobs(first: 1) { edges { node { jobId } } } }';
const GRAPHQL_ACCEPT = 'application/graphql-response+json, application/json';

describe('GET queries and CSRF prevention', () => {
  let stack: Stack;
  const allowed = 'https://app.example.com';

  beforeAll(async () => {
    stack = await startStack({ config: { corsOrigins: [allowed] } });
  });
  afterAll(() => stack?.close());

  const get = (headers: Record<string, string>) =>
    fetch(`${stack.url}?query=${encodeURIComponent(QUERY)}`, { headers });

  it.each([
    [
      'urql in a page of the same origin',
      { accept: GRAPHQL_ACCEPT, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
    ],
    ['the page itself (same origin)', { accept: '*/*', 'sec-fetch-site': 'same-origin' }],
    ['a URL typed into the address bar', { accept: '*/*', 'sec-fetch-site': 'none' }],
    [
      'a CORS request from an allowed origin',
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors', origin: allowed },
    ],
    [
      'a CORS request from an allowed origin, by a browser that sends no Sec-Fetch-Site',
      { accept: GRAPHQL_ACCEPT, origin: allowed },
    ],
    ['a client that sends the CSRF header', { accept: '*/*', 'x-graphql-yoga-csrf': '1' }],
  ])('runs a GET from %s', async (_name, headers) => {
    stack.resetCounters();
    const response = await get(headers);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.jobs.edges).toHaveLength(1);
  });

  it.each([
    ['an image or a script tag', { accept: 'image/avif,image/webp,*/*' }, /x-graphql-yoga-csrf/],
    [
      'a script or a browser without Sec-Fetch-Site, whatever Accept it sets',
      { accept: GRAPHQL_ACCEPT },
      /x-graphql-yoga-csrf/,
    ],
    [
      'a browser without Sec-Fetch-Site, on behalf of an origin not allowed',
      { accept: GRAPHQL_ACCEPT, origin: 'https://evil.example.com' },
      /x-graphql-yoga-csrf/,
    ],
    [
      'a cross-site link or form',
      {
        accept: '*/*',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      },
      /CORS_ORIGINS/,
    ],
    [
      'a no-cors fetch from another site, even with the GraphQL accept header',
      { accept: GRAPHQL_ACCEPT, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      /CORS_ORIGINS/,
    ],
    [
      'a CORS request from an origin not allowed',
      {
        accept: GRAPHQL_ACCEPT,
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'cors',
        origin: 'https://evil.example.com',
      },
      /CORS_ORIGINS/,
    ],
  ])('refuses a GET from %s before any upstream call', async (_name, headers, message) => {
    stack.resetCounters();
    const response = await get(headers);
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toMatch(message);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });

  it('still refuses a form-encoded POST without the CSRF header', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(QUERY)}`,
    });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers a preflight from a refused origin with a bare 204, from an allowed one with CORS', async () => {
    const preflight = (origin: string) =>
      fetch(stack.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const refused = await preflight('https://evil.example.com');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.text()).toBe('');
    const ok = await preflight(allowed);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect(ok.headers.get('vary')).toMatch(/Origin/);
  });

  it('with CORS_ORIGINS=*, lets any origin read and never allows credentials', async () => {
    const any = await startStack({ config: { corsOrigins: ['*'] } });
    try {
      const preflight = await fetch(any.url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://evil.example.com');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const answer = await fetch(any.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example.com' },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(answer.headers.get('access-control-allow-origin')).toBe('https://evil.example.com');
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await any.close();
    }
  });
});

describe('with CORS_ORIGINS unset (the default)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('allows no origin, as the stack runs the default configuration', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  it.each([
    ['a JSON POST', 'POST', 'content-type'],
    ['a GET with the CSRF header', 'GET', 'x-graphql-yoga-csrf'],
    ['a POST with an API key', 'POST', 'content-type, x-api-key'],
  ])(
    'answers the preflight of %s with a bare 204: a CORS refusal, no CSRF message',
    async (_name, method, headers) => {
      stack.resetCounters();
      const response = await fetch(stack.url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': method,
          'access-control-request-headers': headers,
          'sec-fetch-mode': 'cors',
          'sec-fetch-site': 'cross-site',
        },
      });
      expect(response.status).toBe(204);
      for (const name of [
        'access-control-allow-origin',
        'access-control-allow-methods',
        'access-control-allow-headers',
        'access-control-allow-credentials',
      ]) {
        expect(response.headers.get(name), name).toBeNull();
      }
      const body = await response.text();
      expect(body).toBe('');
      expect(body).not.toMatch(/CSRF|x-graphql-yoga-csrf/i);
      expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
    },
  );

  it('refuses a cross-site CORS GET by naming CORS_ORIGINS, not the CSRF header', async () => {
    stack.resetCounters();
    const response = await fetch(`${stack.url}?query=${encodeURIComponent(QUERY)}`, {
      headers: {
        accept: GRAPHQL_ACCEPT,
        origin: 'https://app.example.com',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'cors',
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toMatch(/CORS_ORIGINS/);
    expect(body.errors[0].message).not.toMatch(/x-graphql-yoga-csrf/);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });

  it('still answers callers that are not browsers on another origin', async () => {
    const response = await stack.query(QUERY);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });
});

describe('in Chromium, from another site', () => {
  let stack: Stack;
  let pages: Server;
  let browser: Browser;
  let pagesPort = 0;
  // Two host names for one loopback address: other sites, as far as the browser can tell.
  const appHost = 'app.test';
  const evilHost = 'evil.test';
  // The gateway under a host name over plain HTTP, as on a private network: not a secure origin,
  // so the browser sends no Sec-Fetch-* headers to it.
  const gatewayHost = 'gateway.test';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
    pages = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>a frontend</title>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagesPort = (pages.address() as AddressInfo).port;
    stack = await startStack({
      config: { corsOrigins: [`http://${appHost}:${pagesPort}`] },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        ...CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--host-resolver-rules')),
        `--host-resolver-rules=MAP ${appHost} 127.0.0.1, MAP ${evilHost} 127.0.0.1, MAP ${gatewayHost} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()));
  });

  /** Runs `fetch` in a page of `host`; returns what the page saw and what the console said. */
  async function fetchFrom(host: string, method: 'GET' | 'POST', url = stack.url) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const console: string[] = [];
    page.on('console', (message: ConsoleMessage) => console.push(message.text()));
    await page.goto(`http://${host}:${pagesPort}/`);
    const outcome = await page.evaluate(
      async ({ url, query, method, accept }) => {
        try {
          const response =
            method === 'GET'
              ? await fetch(`${url}?query=${encodeURIComponent(query)}`, { headers: { accept } })
              : await fetch(url, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json', accept },
                  body: JSON.stringify({ query }),
                });
          return { status: response.status, body: await response.json() };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, query: QUERY, method, accept: GRAPHQL_ACCEPT },
    );
    // Chromium logs the CORS verdict to the console a moment after the fetch fails.
    await page.waitForTimeout(200);
    await context.close();
    return { outcome, console };
  }

  /** The fetch failed, and the console told the page's developer it was CORS, not CSRF. */
  function expectCorsFailure({ outcome, console }: Awaited<ReturnType<typeof fetchFrom>>) {
    expect(outcome).toEqual({ error: expect.stringMatching(/Failed to fetch/) });
    const said = console.join('\n');
    expect(said).toMatch(/blocked by CORS policy/);
    expect(said).toMatch(/No 'Access-Control-Allow-Origin' header/);
    expect(said).not.toMatch(/CSRF/i);
  }

  it.each(['GET', 'POST'] as const)('lets an allowed origin %s a query', async (method) => {
    const { outcome } = await fetchFrom(appHost, method);
    expect(outcome).toMatchObject({ status: 200 });
    expect(
      (outcome as { body: { data: { jobs: { edges: unknown[] } } } }).body.data.jobs.edges,
    ).toHaveLength(1);
  });

  it.each(['GET', 'POST'] as const)(
    'refuses a %s from another origin, and the browser says CORS, not CSRF',
    async (method) => {
      stack.resetCounters();
      expectCorsFailure(await fetchFrom(evilHost, method));
      // Nothing ran: the POST stopped at its preflight, the simple GET at CSRF prevention.
      expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
    },
  );

  it.each(['GET', 'POST'] as const)(
    'with CORS_ORIGINS unset, refuses a %s from another origin, and the browser says CORS, not CSRF',
    async (method) => {
      const closed = await startStack();
      try {
        expectCorsFailure(await fetchFrom(appHost, method, closed.url));
        expect(closed.calls()).toEqual({ iot: 0, importExport: 0 });
      } finally {
        await closed.close();
      }
    },
  );

  it('refuses a no-cors GET from another site to the gateway over plain HTTP, whatever its Accept', async () => {
    stack.resetCounters();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://${evilHost}:${pagesPort}/`);
    const url = stack.url.replace('127.0.0.1', gatewayHost);
    const outcome = await page.evaluate(
      async ({ url, query, accept }) => {
        const response = await fetch(`${url}?query=${encodeURIComponent(query)}`, {
          mode: 'no-cors',
          headers: { accept },
        });
        return response.type;
      },
      { url, query: QUERY, accept: GRAPHQL_ACCEPT },
    );
    await context.close();
    // The page cannot read the answer; the gateway must not have run the query either.
    expect(outcome).toBe('opaque');
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });
});
