import {
  canonicalRequest,
  sha256Hex,
  signatureOf,
  signingKey,
  stringToSign,
} from '../src/simulators/sigv4-verifier.js';

/**
 * Requests to the simulators for their tests. One request to the IoT simulator signed by hand the SigV4 way (the helpers are checked against
 * the documented test vector), for what the SDK will not send: no signature, a wrong secret, a
 * body changed after signing, bytes the test wants to read raw.
 */

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

export interface SignedRequestOptions {
  readonly method?: string;
  /** Still percent-encoded, as on the wire. */
  readonly path: string;
  /** Still percent-encoded, without `?`. */
  readonly query?: string;
  readonly body?: string;
  /** @default us-east-1 */
  readonly region?: string;
  readonly secret?: string;
  /** False sends no Authorization header. @default true */
  readonly signed?: boolean;
  /** Sent instead of `body`, after `body` was signed. */
  readonly sentBody?: string;
}

export function signedIotRequest(
  endpoint: string,
  options: SignedRequestOptions,
): Promise<Response> {
  const method = options.method ?? 'GET';
  const query = options.query ?? '';
  const region = options.region ?? 'us-east-1';
  const body = options.body ?? '';
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { host: new URL(endpoint).host, 'x-amz-date': amzDate };
  const canonical = canonicalRequest({
    method,
    rawPath: options.path,
    rawQuery: query,
    headers,
    signedHeaders: ['host', 'x-amz-date'],
    payloadHash: sha256Hex(body),
  });
  const scope = `${day}/${region}/iot/aws4_request`;
  const signature = signatureOf(
    signingKey(options.secret ?? TEST_CREDENTIALS.secretAccessKey, day, region, 'iot'),
    stringToSign(amzDate, scope, canonical),
  );
  const sent: Record<string, string> = { 'x-amz-date': amzDate };
  if (options.signed !== false) {
    sent.authorization = `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`;
  }
  const sentBody = options.sentBody ?? body;
  return fetch(`${endpoint}${options.path}${query ? `?${query}` : ''}`, {
    method,
    headers: sent,
    ...(sentBody !== '' || method === 'PUT' ? { body: sentBody } : {}),
  });
}

/** The error a call that must fail failed with (an SDK error keeps `name`, `$metadata`, ...). */
export async function failureOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
