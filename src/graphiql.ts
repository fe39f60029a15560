import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** What GraphiQL opens on: a page of the merged list, with what each job type adds. */
export const EXAMPLE_OPERATION = `# A page of jobs from both upstreams, newest first.
# Run it, then pass pageInfo.endCursor as "after" to read the next page.
query LatestJobs($first: Int = 10, $after: String) {
  jobs(first: $first, after: $after) {
    edges {
      node {
        id
        jobId
        source
        createdAt
        isCanceled
        ...IotJobSummary
        ...ImportExportJobSummary
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    unavailableSources
  }
}

fragment IotJobSummary on IotJob {
  status
  targetSelection
  thingGroupId
  completedAt
}

# Aliased: IotJob.status is an enum, ImportExportJob.status an object, and one selection set
# cannot ask for both under the same name.
fragment ImportExportJobSummary on ImportExportJob {
  jobType
  progress: status {
    progressCode
    locationCode
    trackingNumber
  }
}
`;

export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'jobs-gateway',
  defaultQuery: EXAMPLE_OPERATION,
};

/**
 * GraphiQL's editors use Fira Code with its ligatures on, and one of its contextual alternates
 * draws an `x` between digits as `×`: a cursor such as `c1.eyJ4x2` would read wrong, and copying
 * it by eye would fail. Ligatures are turned off in the editors.
 */
const NO_LIGATURES = `<style>.graphiql-container .monaco-editor .view-lines,
.graphiql-container .monaco-editor .view-line { font-feature-settings: "liga" 0, "calt" 0 !important;
font-variant-ligatures: none !important; }</style>`;

/**
 * GraphiQL with every script and style inlined: it works with no network at all. The bundle is
 * large (several MB), so it is loaded on the first page view, not at start-up.
 */
export async function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderGraphiQL(options);
  // The first one: the inlined scripts contain the string too.
  const head = html.indexOf('</head>');
  return head === -1 ? NO_LIGATURES + html : html.slice(0, head) + NO_LIGATURES + html.slice(head);
}

interface Representation {
  readonly body: Buffer;
  readonly etag: string;
  readonly encoding: 'br' | 'gzip' | undefined;
}

/**
 * The GraphiQL page as a static asset: rendered and compressed once (brotli and gzip; 9 MB become
 * under 2.5), then served with an ETag per encoding so that a browser revalidates it with a 304
 * instead of loading it again. Compression runs on libuv's thread pool, not on the event loop.
 */
export function createGraphiQLPage(options: GraphiQLOptions = GRAPHIQL_OPTIONS) {
  let ready: Promise<Record<'br' | 'gzip' | 'identity', Representation>> | undefined;
  const build = async () => {
    const html = Buffer.from(await renderOfflineGraphiQL(options), 'utf8');
    const tag = createHash('sha256').update(html).digest('base64url').slice(0, 27);
    const [br, gz] = await Promise.all([
      brotli(html, {
        params: {
          // Quality 9 is within 10 % of 11's size at a twentieth of its time (about 0.5 s).
          [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length,
        },
      }),
      gzip(html, { level: 9 }),
    ]);
    return {
      br: { body: br, etag: `"${tag}-br"`, encoding: 'br' as const },
      gzip: { body: gz, etag: `"${tag}-gz"`, encoding: 'gzip' as const },
      identity: { body: html, etag: `"${tag}"`, encoding: undefined },
    };
  };
  const representations = () => {
    ready ??= build();
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  };

  return async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const all = await representations();
    const accepted = acceptedEncodings(request.headers['accept-encoding']);
    const chosen = accepted.has('br') ? all.br : accepted.has('gzip') ? all.gzip : all.identity;
    const headers: Record<string, string | number> = {
      'content-type': 'text/html; charset=utf-8',
      // The same URL answers GraphQL requests with JSON: caches must key on both headers.
      vary: 'Accept, Accept-Encoding',
      // Kept, but revalidated on each view: a new version of the gateway shows at once.
      'cache-control': 'no-cache',
      etag: chosen.etag,
    };
    if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
    const match = request.headers['if-none-match'];
    if (
      match !== undefined &&
      match.split(/\s*,\s*/).some((tag) => tag.replace(/^W\//, '') === chosen.etag)
    ) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    headers['content-length'] = chosen.body.length;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : chosen.body);
  };
}

/** The codings an `Accept-Encoding` header allows (`q=0` refuses one). */
function acceptedEncodings(header: string | undefined): Set<string> {
  const result = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    result.add(name);
  }
  if (result.has('*')) result.add('br').add('gzip');
  return result;
}
