import { type CORSOptions, createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Who may call the gateway from a browser. Two settings work together:
 *
 * - CORS (`CORS_ORIGINS`) decides which other origins may *read* an answer. A preflight from any
 *   other origin is answered 204 without `Access-Control-Allow-Origin`, so the browser reports a
 *   CORS refusal, which is what it is.
 * - CSRF prevention (`CSRF_PREVENTION`) refuses the requests a hostile page can make a browser
 *   send without asking anyone: "simple" cross-site requests (a form post, an image, a link, a
 *   no-cors fetch). Their answer is unreadable to the page, but the gateway would still run them
 *   against the upstreams with its own credentials, possibly from inside a private network.
 *
 * POSTs are checked as graphql-yoga's CSRF plugin does: a JSON body is preflighted by the browser,
 * a form-like content type needs a header that no form can set. GETs carry no content type (urql
 * sends queries as GET by default, Apollo Client with `useGETForQueries`), so a GET is told apart
 * by what a browser says about it:
 *
 * - `Sec-Fetch-Site` (sent by every current browser, and not settable by a page): same-origin or
 *   typed by the user (`none`) is accepted; a same-site or cross-site GET only as a CORS request
 *   from an allowed origin.
 * - Without it the request may come from a server or a script, but also from a browser that does
 *   not send the header: to a plain-HTTP address other than localhost (browsers send it to secure
 *   origins only), or an old one. Any page can make such a browser send a GET with any `Accept`
 *   (it is a header pages may set without a preflight), so it proves nothing: the GET needs a CSRF
 *   header, as with graphql-yoga's own prevention, unless it is a CORS request (it then carries an
 *   `Origin`, which no page can set) from an origin in `CORS_ORIGINS`.
 * - A CSRF header (`x-graphql-yoga-csrf`, `apollo-require-preflight`, `x-apollo-operation-name`)
 *   is always enough: a page cannot send one cross-site without a preflight.
 *
 * The API has no mutations; GET is for queries only (graphql-yoga refuses anything else).
 */

export const CSRF_HEADERS = [
  'x-graphql-yoga-csrf',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];

const NON_PREFLIGHTED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

/** Whether `origin` may read answers from a browser, per `CORS_ORIGINS`. */
export function createOriginCheck(allowed: readonly string[]): (origin: string | null) => boolean {
  const any = allowed.includes('*');
  const set = new Set(allowed);
  return (origin) => origin !== null && (any || set.has(origin));
}

/**
 * yoga's CORS options per request: the caller's own origin when it is allowed, nothing at all
 * otherwise (also when `CORS_ORIGINS` is empty), so that a refused preflight still gets a plain
 * 204 rather than reaching GraphQL request parsing. Credentials (cookies) are never allowed:
 * clients authenticate with a header, and an answer read with a user's cookies by a page of any
 * origin is what `*` must not permit.
 */
export function corsOptionsFor(
  allowedOrigin: (origin: string | null) => boolean,
): (request: Request) => CORSOptions | false {
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowedOrigin(origin)) return false;
    return {
      origin,
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: [
        'content-type',
        'authorization',
        'x-api-key',
        'x-request-id',
        'accept',
        ...CSRF_HEADERS,
      ],
      maxAge: 600,
    };
  };
}

/** Answers that depend on the Origin header must not be shared between origins by a cache. */
export function useVaryOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (!vary || !/\borigin\b/i.test(vary)) response.headers.append('vary', 'Origin');
    },
  };
}

export function useCsrfPrevention(allowedOrigin: (origin: string | null) => boolean): Plugin {
  const refuse = (message: string) =>
    createGraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  return {
    onRequestParse({ request }) {
      const { headers } = request;
      if (CSRF_HEADERS.some((name) => headers.has(name))) return;
      if (request.method === 'GET') {
        const site = headers.get('sec-fetch-site');
        if (site === null) {
          // A browser sends Origin on a cross-origin CORS request (never on a no-cors one), and no
          // page can set it: an allowed origin asking through CORS is who CORS_ORIGINS names.
          if (allowedOrigin(headers.get('origin'))) return;
          throw refuse(
            'A GET request from outside a browser, or from a browser that does not send Sec-Fetch-Site (plain HTTP to another host than localhost), needs an x-graphql-yoga-csrf header; or send the query as a POST with a JSON body.',
          );
        }
        if (site === 'same-origin' || site === 'none') return;
        if (headers.get('sec-fetch-mode') === 'cors' && allowedOrigin(headers.get('origin'))) {
          return;
        }
        throw refuse(
          'A cross-site GET from a browser is accepted only as a CORS request from an origin in CORS_ORIGINS.',
        );
      }
      const contentType = headers.get('content-type')?.toLowerCase();
      if (contentType && !NON_PREFLIGHTED_CONTENT_TYPES.some((t) => contentType.startsWith(t))) {
        return;
      }
      throw refuse(
        'This content type needs an x-graphql-yoga-csrf header (send JSON, or add the header).',
      );
    },
  };
}
