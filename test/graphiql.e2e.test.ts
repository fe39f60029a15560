import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parse, print, validate } from 'graphql';
import { type Browser, type BrowserContext, chromium, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATION } from '../src/graphiql.js';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.js';
import { buildApiSchema } from '../src/schema/index.js';
import { type Stack, startStack } from './harness.js';

/**
 * GraphiQL in Debian's Chromium, driven by playwright-core, with nothing reachable but the
 * gateway: the page must work offline (every script and style inlined), and the example operation
 * it opens on must run as it stands.
 */

/** What an editor shows; Monaco renders spaces as no-break spaces. */
async function textOf(editor: Locator): Promise<string> {
  // innerText, not textContent: only the rendered text has line breaks between Monaco's line elements.
  return (await editor.innerText()).replaceAll('\u00a0', ' ');
}

/** The bytes as sent, undecoded (fetch would decompress them). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

interface ExampleData {
  jobs: { edges: { node: { jobId: string; source: 'IOT' | 'IMPORT_EXPORT' } }[] };
}

describe('GraphiQL in a browser, offline', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  const foreign: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: this test needs Debian's chromium package, which npm test installs ` +
          '(as root: apt-get install -y chromium). No browser is ever downloaded.',
      );
    }
    stack = await startStack({ graphiql: true });
    origin = new URL(stack.url).origin;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A new context is a fresh profile: no cached page, no stored GraphiQL tabs.
    context = await browser.newContext({ viewport: { width: 1400, height: 3200 } });
    const isLocal = (url: string) => {
      const parsed = new URL(url);
      // Blob URLs (GraphiQL's workers) carry the origin of the page that made them.
      return parsed.protocol === 'data:' || parsed.origin === origin;
    };
    context.on('request', (request) => {
      if (!isLocal(request.url())) foreign.push(request.url());
    });
    await context.route('**/*', (route) =>
      isLocal(route.request().url()) ? route.continue() : route.abort('internetdisconnected'),
    );
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it('opens on an example operation that is valid against the API schema', () => {
    expect(validate(buildApiSchema(), parse(EXAMPLE_OPERATION))).toEqual([]);
  });

  it('loads from the gateway alone, preloads the example and runs it', async () => {
    const expected = await stack.query<ExampleData, Record<string, never>>(EXAMPLE_OPERATION);
    expect(expected.body.errors).toBeUndefined();
    const edges = expected.body.data?.jobs.edges ?? [];
    // The example is only a good example if its first page shows both kinds of job.
    expect(new Set(edges.map((e) => e.node.source))).toEqual(new Set(['IOT', 'IMPORT_EXPORT']));

    const page = await context.newPage();
    const response = await page.goto(stack.url, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);

    const editor = page.locator('.graphiql-query-editor .view-lines');
    await editor.waitFor({ timeout: 15_000 }).catch((error: unknown) => {
      // A page that waits on a CDN never starts; say so rather than only "timed out".
      throw new Error(`GraphiQL did not start; requests to other hosts: ${foreign.join(', ')}`, {
        cause: error,
      });
    });
    // The viewport is tall enough for every line to be rendered; printing both sides compares
    // the documents without their comments and layout.
    expect(print(parse(await textOf(editor)))).toBe(print(parse(EXAMPLE_OPERATION)));

    await page.locator('.graphiql-execute-button').click();
    const pane = page.locator('.graphiql-response .view-lines');
    await expect
      .poll(() => textOf(pane), { timeout: 10_000 })
      .toContain(`"jobId": "${edges[0]?.node.jobId}"`);
    const shown = await textOf(pane);
    expect(shown).not.toContain('"errors"');
    for (const { node } of edges) expect(shown).toContain(`"jobId": "${node.jobId}"`);
    expect(shown).toContain('"source": "IOT"');
    expect(shown).toContain('"source": "IMPORT_EXPORT"');

    // Fira Code's contextual alternates would draw the x of a cursor such as `4x2` as ×.
    const style = await pane.evaluate((element) => {
      const computed = getComputedStyle(element);
      return {
        family: computed.fontFamily,
        features: computed.fontFeatureSettings,
        ligatures: computed.fontVariantLigatures,
      };
    });
    expect(style.family).toMatch(/Fira Code/);
    expect(style.features).toMatch(/"calt" 0/);
    expect(style.features).toMatch(/"liga" 0/);
    expect(style.ligatures).toBe('none');

    // Chromium asked for brotli and got it.
    expect(response?.headers()['content-encoding']).toBe('br');
    expect(foreign).toEqual([]);
  });

  it('serves the page compressed, with an ETag to revalidate it by', async () => {
    const html = { accept: 'text/html' };
    const plain = await rawGet(stack.url, { ...html, 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.body.toString('utf8')).toContain('<title>jobs-gateway</title>');

    const br = await rawGet(stack.url, { ...html, 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gzip = await rawGet(stack.url, { ...html, 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);

    const tags = new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]);
    expect(tags.size).toBe(3);

    const again = await rawGet(stack.url, {
      ...html,
      'accept-encoding': 'gzip, deflate, br',
      'if-none-match': String(br.headers.etag),
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The same bytes every time: rendered and compressed once.
    const second = await rawGet(stack.url, { ...html, 'accept-encoding': 'br' });
    expect(second.body.equals(br.body)).toBe(true);
  });
});
