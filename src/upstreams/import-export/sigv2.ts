import { createHmac } from 'node:crypto';

/**
 * AWS Signature Version 2, the scheme the Import/Export model declares (`signatureVersion: v2`).
 * The signature travels as a form parameter, not a header: the server rebuilds the canonical query
 * from the parameters it received, so the string we sign and the body we send must agree on every
 * byte after decoding, and the encoding inside the string to sign must be RFC 3986 exactly.
 */

export type SigV2Method = 'HmacSHA256' | 'HmacSHA1';

export interface SigV2Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials only; sent as `SecurityToken` and covered by the signature. */
  readonly sessionToken?: string | undefined;
}

export interface SigV2Request {
  /** Operation parameters (`Action`, `Version`, inputs), without any signing parameter. */
  readonly params: Readonly<Record<string, string>>;
  /** The Host header as sent: lowercase, with `:port` when the port is not the scheme's default. */
  readonly host: string;
  /** @default / */
  readonly path?: string;
  /** @default POST */
  readonly method?: string;
  readonly credentials: SigV2Credentials;
  readonly date: Date;
  /** @default HmacSHA256 */
  readonly signatureMethod?: SigV2Method;
}

export interface SignedSigV2Request {
  /** `application/x-www-form-urlencoded` body carrying every parameter and the signature. */
  readonly body: string;
  readonly signature: string;
  readonly stringToSign: string;
}

/**
 * RFC 3986 percent-encoding: only `A-Z a-z 0-9 - _ . ~` stay literal, hex is uppercase, and a
 * space is `%20`. `encodeURIComponent` leaves `! ' ( ) *` alone, which the server would encode, so
 * those are escaped by hand; a `+` for a space (form encoding) would break the signature.
 */
export function encodeRfc3986(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be UTF-8 encoded; it goes out as U+FFFD, as Buffer would send it.
    encoded = encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
  }
  return RESERVED_BY_3986.test(encoded) ? encoded.replace(RESERVED_BY_3986_G, escapeChar) : encoded;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const RESERVED_BY_3986 = /[!'()*]/;
const RESERVED_BY_3986_G = /[!'()*]/g;

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Orders parameter names as their UTF-8 bytes would sort. Plain `<` compares UTF-16 code units,
 * which disagrees with byte order only between a surrogate and a code unit at U+E000 or above.
 */
export function compareByteOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y >= 0xe000 : x >= 0xe000)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** `name=value` pairs, RFC 3986 encoded, sorted by name in byte order, `Signature` left out. */
export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  const names = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort(compareByteOrder);
  let out = '';
  for (const name of names) {
    if (out.length > 0) out += '&';
    out += `${encodeRfc3986(name)}=${encodeRfc3986(params[name] as string)}`;
  }
  return out;
}

/** `2015-05-27T18:58:21Z`: SigV2 servers compare this text, and milliseconds are not expected. */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function stringToSignV2(
  method: string,
  host: string,
  path: string,
  canonicalQuery: string,
): string {
  return `${method}\n${host.toLowerCase()}\n${path === '' ? '/' : path}\n${canonicalQuery}`;
}

export function hmacBase64(method: SigV2Method, secret: string, data: string): string {
  return createHmac(method === 'HmacSHA1' ? 'sha1' : 'sha256', secret)
    .update(data, 'utf8')
    .digest('base64');
}

/**
 * Adds the signing parameters (`AWSAccessKeyId`, `SignatureVersion`, `SignatureMethod`,
 * `Timestamp`, `SecurityToken` when there is a session token), signs, and returns the form body.
 * Call it once per attempt: a retried request needs a fresh Timestamp.
 */
export function signV2(request: SigV2Request): SignedSigV2Request {
  const method = request.signatureMethod ?? 'HmacSHA256';
  const { credentials } = request;
  const params: Record<string, string> = {
    ...request.params,
    AWSAccessKeyId: credentials.accessKeyId,
    SignatureMethod: method,
    SignatureVersion: '2',
    Timestamp: formatTimestamp(request.date),
  };
  if (credentials.sessionToken) params.SecurityToken = credentials.sessionToken;
  const canonical = canonicalQueryString(params);
  const stringToSign = stringToSignV2(
    request.method ?? 'POST',
    request.host,
    request.path ?? '/',
    canonical,
  );
  const signature = hmacBase64(method, credentials.secretAccessKey, stringToSign);
  // The canonical query is already a valid form body; the server decodes before re-canonicalising.
  return { body: `${canonical}&Signature=${encodeRfc3986(signature)}`, signature, stringToSign };
}
