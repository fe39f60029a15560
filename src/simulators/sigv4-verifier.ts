import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-side AWS Signature Version 4 check for the simulators. It re-derives the canonical request
 * from what arrived on the wire, never from what the client claims, so that a client that encodes
 * its query or path differently from the SDKs is caught here rather than by the real service.
 */

export const EMPTY_PAYLOAD_HASH =
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

export type HeaderValue = string | readonly string[] | undefined;

export interface SigV4Request {
  readonly method: string;
  /** The path exactly as it arrived, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Everything after `?`, still percent-encoded; empty when there is none. */
  readonly rawQuery: string;
  /** Header names in lower case, as node:http hands them over. */
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** Hex SHA-256 of the body. @default the hash of an empty body */
  readonly payloadHash?: string;
}

export interface SigV4VerifierOptions {
  readonly region: string;
  /** Signing names accepted in the credential scope. */
  readonly services: readonly string[];
  /** The secret of an access key id, or undefined when the key is unknown. */
  readonly secretFor: (accessKeyId: string) => string | undefined;
  /** Largest accepted distance between `x-amz-date` and now. @default 15 minutes */
  readonly maxSkewMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export type SigV4Failure = {
  readonly ok: false;
  readonly status: 400 | 403;
  readonly code:
    | 'MissingAuthenticationTokenException'
    | 'IncompleteSignatureException'
    | 'UnrecognizedClientException'
    | 'InvalidSignatureException';
  readonly message: string;
};

export type SigV4Result = { readonly ok: true; readonly accessKeyId: string } | SigV4Failure;

export type SigV4Verifier = (request: SigV4Request) => SigV4Result;

/** RFC 3986 unreserved characters stay literal; everything else is %XX with upper-case hex. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical query: every pair decoded from the wire, then re-encoded strictly and sorted. A
 * client that sent `nextToken=a+b/c=` unencoded and one that sent `a%2Bb%2Fc%3D` sign different
 * strings, and only the second matches what AWS computes; decoding first and re-encoding is what
 * makes the difference visible. `+` is a literal plus here, never a space (that is HTML forms).
 */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([rfc3986Encode(decodeURIComponent(name)), rfc3986Encode(decodeURIComponent(value))]);
  }
  // Sorted by encoded name, then value. Not by the joined `name=value`: `=` sorts after `-` and
  // `.`, which would put `a-b=...` before `a=...`.
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  let out = '';
  for (const [name, value] of pairs) out += `${out === '' ? '' : '&'}${name}=${value}`;
  return out;
}

/**
 * The canonical URI of every service but S3: dot segments removed, then each segment encoded once
 * more. The path on the wire is already encoded (`cameras%3Aoutdoor`), so it is signed double
 * encoded (`cameras%253Aoutdoor`), which is what both botocore and the JS SDK do.
 */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(rfc3986Encode(segment));
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${rawPath.endsWith('/') ? '/' : ''}`;
}

function headerText(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  const joined = typeof value === 'string' ? value : value.join(',');
  return joined.trim().replace(/\s+/g, ' ');
}

export interface CanonicalRequestParts {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** Lower-case names, in the order of the `SignedHeaders` list. */
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
}

/** Throws URIError on a percent sequence that does not decode. */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  const lines = [parts.method, canonicalPath(parts.rawPath), canonicalQuery(parts.rawQuery)];
  for (const name of parts.signedHeaders) {
    lines.push(`${name}:${headerText(parts.headers[name]) ?? ''}`);
  }
  lines.push('', parts.signedHeaders.join(';'), parts.payloadHash);
  return lines.join('\n');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export function signatureOf(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

/** `20240102T030405Z` as epoch milliseconds. */
function amzDateToMs(amzDate: string): number {
  return Date.UTC(
    Number(amzDate.slice(0, 4)),
    Number(amzDate.slice(4, 6)) - 1,
    Number(amzDate.slice(6, 8)),
    Number(amzDate.slice(9, 11)),
    Number(amzDate.slice(11, 13)),
    Number(amzDate.slice(13, 15)),
  );
}

function fail(status: 400 | 403, code: SigV4Failure['code'], message: string): SigV4Failure {
  return { ok: false, status, code, message };
}

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(header: string): ParsedAuthorization | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return undefined;
  }
  const scope = credential.split('/');
  if (scope.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = scope as [
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/**
 * Builds a verifier. Signing keys are cached per key, day, region and service: deriving one costs
 * four HMACs, and the simulators sit in the same process as the gateway in benchmarks.
 */
export function createSigV4Verifier(options: SigV4VerifierOptions): SigV4Verifier {
  const maxSkewMs = options.maxSkewMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const keys = new Map<string, Buffer>();

  return (request) => {
    const authorization = headerText(request.headers.authorization);
    if (!authorization) {
      return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const auth = parseAuthorization(authorization);
    if (!auth) {
      return fail(400, 'IncompleteSignatureException', 'The Authorization header is malformed.');
    }
    const amzDate = headerText(request.headers['x-amz-date']);
    const dateMatch = amzDate ? AMZ_DATE.exec(amzDate) : null;
    if (!amzDate || !dateMatch) {
      return fail(400, 'IncompleteSignatureException', 'A valid X-Amz-Date header is required.');
    }
    if (!auth.signedHeaders.includes('host')) {
      return fail(400, 'IncompleteSignatureException', "'Host' must be a signed header.");
    }
    if (!auth.signedHeaders.includes('x-amz-date')) {
      return fail(400, 'IncompleteSignatureException', "'X-Amz-Date' must be a signed header.");
    }
    const secret = options.secretFor(auth.accessKeyId);
    if (secret === undefined) {
      return fail(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (auth.date !== dateMatch[1] || auth.terminator !== 'aws4_request') {
      return fail(403, 'InvalidSignatureException', 'Credential scope does not match the date.');
    }
    if (auth.region !== options.region) {
      return fail(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to a valid region, not '${auth.region}'.`,
      );
    }
    if (!options.services.includes(auth.service)) {
      return fail(
        403,
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${options.services[0]}'.`,
      );
    }
    const skew = amzDateToMs(amzDate) - now();
    if (Math.abs(skew) > maxSkewMs) {
      return fail(
        403,
        'InvalidSignatureException',
        skew < 0
          ? `Signature expired: ${amzDate} is now earlier than the allowed window.`
          : `Signature not yet current: ${amzDate} is still later than the allowed window.`,
      );
    }

    let canonical: string;
    try {
      canonical = canonicalRequest({
        method: request.method,
        rawPath: request.rawPath,
        rawQuery: request.rawQuery,
        headers: request.headers,
        signedHeaders: auth.signedHeaders,
        payloadHash: request.payloadHash ?? EMPTY_PAYLOAD_HASH,
      });
    } catch {
      return fail(400, 'IncompleteSignatureException', 'The request URI is not well encoded.');
    }
    const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
    const cacheKey = `${auth.accessKeyId}/${scope}`;
    let key = keys.get(cacheKey);
    if (!key) {
      if (keys.size >= 64) keys.clear();
      key = signingKey(secret, auth.date, auth.region, auth.service);
      keys.set(cacheKey, key);
    }
    const expected = Buffer.from(
      signatureOf(key, stringToSign(amzDate, scope, canonical)),
      'latin1',
    );
    const given = Buffer.from(auth.signature, 'latin1');
    if (!timingSafeEqual(expected, given)) {
      return fail(
        403,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    return { ok: true, accessKeyId: auth.accessKeyId };
  };
}
