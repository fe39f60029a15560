import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../../src/config.js';
import {
  canonicalRequest,
  EMPTY_PAYLOAD_HASH,
  signatureOf,
  signingKey,
  stringToSign,
} from '../../src/simulators/sigv4-verifier.js';
import { signV2 } from '../../src/upstreams/import-export/sigv2.js';
import type { LoadRequest } from './load.js';

/**
 * Signed ListJobs requests for measuring a simulator directly, the upstream baseline of the added
 * latency. Each is signed once and replayed: the simulators accept a signature for 15 minutes and
 * keep no nonce, and a fresh set is made for every measured window. The page sizes are the ones
 * the gateway asks for a `first: 20` page (one more than wanted, to learn hasNextPage).
 */

const REGION = 'us-east-1';

export function signedIotListJobs(endpoint: string, maxResults: number): LoadRequest {
  const url = new URL('/jobs', endpoint);
  const rawQuery = `maxResults=${maxResults}`;
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers = { host: url.host, 'x-amz-date': amzDate };
  const signedHeaders = ['host', 'x-amz-date'];
  const canonical = canonicalRequest({
    method: 'GET',
    rawPath: url.pathname,
    rawQuery,
    headers,
    signedHeaders,
    payloadHash: EMPTY_PAYLOAD_HASH,
  });
  const scope = `${date}/${REGION}/iot/aws4_request`;
  const signature = signatureOf(
    signingKey(SIMULATOR_SECRET_ACCESS_KEY, date, REGION, 'iot'),
    stringToSign(amzDate, scope, canonical),
  );
  return {
    url: `${url.origin}${url.pathname}?${rawQuery}`,
    method: 'GET',
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${SIMULATOR_ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
    },
  };
}

export function signedImportExportListJobs(endpoint: string, maxJobs: number): LoadRequest {
  const url = new URL('/', endpoint);
  const { body } = signV2({
    params: { Action: 'ListJobs', Version: '2010-06-01', MaxJobs: String(maxJobs) },
    host: url.host,
    path: '/',
    credentials: {
      accessKeyId: SIMULATOR_ACCESS_KEY_ID,
      secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
    },
    date: new Date(),
  });
  return {
    url: url.href,
    method: 'POST',
    headers: {
      host: url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body,
  };
}
