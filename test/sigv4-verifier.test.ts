import { describe, expect, it } from 'vitest';
import {
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  createSigV4Verifier,
  EMPTY_PAYLOAD_HASH,
  type SigV4Request,
  sha256Hex,
  signatureOf,
  signingKey,
  stringToSign,
} from '../src/simulators/sigv4-verifier.js';

const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

// The documented vector: GET https://iot.us-east-1.amazonaws.com/jobs?maxResults=10&nextToken=tok&status=IN_PROGRESS
const VECTOR = {
  amzDate: '20240102T030405Z',
  host: 'iot.us-east-1.amazonaws.com',
  rawQuery: 'maxResults=10&nextToken=tok&status=IN_PROGRESS',
  canonical: [
    'GET',
    '/jobs',
    'maxResults=10&nextToken=tok&status=IN_PROGRESS',
    'host:iot.us-east-1.amazonaws.com',
    'x-amz-date:20240102T030405Z',
    '',
    'host;x-amz-date',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ].join('\n'),
  canonicalHash: '88b9db2d27ebb9900737ca50ada15b308041c37b55916ce5f205962243f351da',
  signature: '95521231a4a4b19470a547f91122c48376a5ae7780717a954e6e19233ffe924e',
};

const VECTOR_AUTH = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20240102/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=${VECTOR.signature}`;

function vectorRequest(
  overrides: Partial<SigV4Request> = {},
  authorization: string | null = VECTOR_AUTH,
): SigV4Request {
  return {
    method: 'GET',
    rawPath: '/jobs',
    rawQuery: VECTOR.rawQuery,
    headers: {
      host: VECTOR.host,
      'x-amz-date': VECTOR.amzDate,
      ...(authorization !== null ? { authorization } : {}),
    },
    ...overrides,
  };
}

function verifierAt(isoNow: string, secret = SECRET) {
  return createSigV4Verifier({
    region: 'us-east-1',
    services: ['iot', 'execute-api'],
    secretFor: (id) => (id === ACCESS_KEY ? secret : undefined),
    now: () => Date.parse(isoNow),
  });
}

describe('SigV4 test vector', () => {
  it('builds the canonical request, string to sign and signature of the vector', () => {
    const canonical = canonicalRequest({
      method: 'GET',
      rawPath: '/jobs',
      rawQuery: VECTOR.rawQuery,
      headers: { host: VECTOR.host, 'x-amz-date': VECTOR.amzDate },
      signedHeaders: ['host', 'x-amz-date'],
      payloadHash: EMPTY_PAYLOAD_HASH,
    });
    expect(canonical).toBe(VECTOR.canonical);
    expect(sha256Hex(canonical)).toBe(VECTOR.canonicalHash);
    const scope = '20240102/us-east-1/iot/aws4_request';
    const toSign = stringToSign(VECTOR.amzDate, scope, canonical);
    expect(toSign).toBe(`AWS4-HMAC-SHA256\n${VECTOR.amzDate}\n${scope}\n${VECTOR.canonicalHash}`);
    expect(signatureOf(signingKey(SECRET, '20240102', 'us-east-1', 'iot'), toSign)).toBe(
      VECTOR.signature,
    );
  });

  it('accepts the vector request, in any query order', () => {
    const verify = verifierAt('2024-01-02T03:04:05Z');
    expect(verify(vectorRequest())).toEqual({ ok: true, accessKeyId: ACCESS_KEY });
    expect(
      verify(vectorRequest({ rawQuery: 'status=IN_PROGRESS&maxResults=10&nextToken=tok' })),
    ).toMatchObject({ ok: true });
  });

  it('rejects a tampered query, a wrong secret, an unknown key, another region or service', () => {
    const at = '2024-01-02T03:04:05Z';
    expect(
      verifierAt(at)(vectorRequest({ rawQuery: VECTOR.rawQuery.replace('10', '11') })),
    ).toEqual(
      expect.objectContaining({ ok: false, status: 403, code: 'InvalidSignatureException' }),
    );
    expect(verifierAt(at, `${SECRET}x`)(vectorRequest())).toMatchObject({
      ok: false,
      status: 403,
      code: 'InvalidSignatureException',
    });
    const unknownKey = vectorRequest({}, VECTOR_AUTH.replace(ACCESS_KEY, 'AKIDOTHER'));
    expect(verifierAt(at)(unknownKey)).toMatchObject({
      status: 403,
      code: 'UnrecognizedClientException',
    });
    const otherRegion = vectorRequest({}, VECTOR_AUTH.replace('us-east-1', 'eu-west-1'));
    expect(verifierAt(at)(otherRegion)).toMatchObject({ code: 'InvalidSignatureException' });
    const otherService = vectorRequest({}, VECTOR_AUTH.replace('/iot/', '/s3/'));
    expect(verifierAt(at)(otherService)).toMatchObject({ code: 'InvalidSignatureException' });
  });

  it('refuses a date more than 15 minutes off, either way, and accepts 14 minutes', () => {
    expect(verifierAt('2024-01-02T03:20:06Z')(vectorRequest())).toMatchObject({
      status: 403,
      code: 'InvalidSignatureException',
      message: expect.stringMatching(/^Signature expired/),
    });
    expect(verifierAt('2024-01-02T02:49:04Z')(vectorRequest())).toMatchObject({
      status: 403,
      code: 'InvalidSignatureException',
      message: expect.stringMatching(/not yet current/),
    });
    expect(verifierAt('2024-01-02T03:18:05Z')(vectorRequest())).toMatchObject({ ok: true });
  });

  it('refuses missing and malformed authorization', () => {
    const verify = verifierAt('2024-01-02T03:04:05Z');
    expect(verify(vectorRequest({}, null))).toMatchObject({
      status: 403,
      code: 'MissingAuthenticationTokenException',
    });
    expect(verify(vectorRequest({}, 'AWS4-HMAC-SHA256 nonsense'))).toMatchObject({
      status: 400,
      code: 'IncompleteSignatureException',
    });
    const unsignedHost = vectorRequest(
      {},
      VECTOR_AUTH.replace('SignedHeaders=host;x-amz-date', 'SignedHeaders=x-amz-date'),
    );
    expect(verify(unsignedHost)).toMatchObject({ code: 'IncompleteSignatureException' });
  });
});

describe('captured SDK requests verify verbatim', () => {
  it('boto3 1.26 (signing name execute-api, query in member order)', () => {
    const verify = verifierAt('2026-11-22T14:55:08Z');
    expect(
      verify({
        method: 'GET',
        rawPath: '/jobs',
        rawQuery: 'status=IN_PROGRESS&maxResults=10&nextToken=tok',
        headers: {
          host: '127.0.0.1:18084',
          'accept-encoding': 'identity',
          'user-agent': 'Boto3/1.26.27 Python/3.11.2 Linux/6.18.44-fc-v669 Botocore/1.29.27',
          'x-amz-date': '20261122T145508Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=f02b1c6040d065174acdef8beabfcf5286ff2fd89fb1ca2b555af47c82b93fd5',
          'amz-sdk-invocation-id': '248fa4e8-9aee-4d75-9614-491f8d2fb407',
          'amz-sdk-request': 'attempt=1',
        },
      }),
    ).toEqual({ ok: true, accessKeyId: ACCESS_KEY });
  });

  it('@aws-sdk/client-iot v3 (signing name iot, sorted query, extra signed headers)', () => {
    const verify = verifierAt('2026-11-22T14:55:11Z');
    expect(
      verify({
        method: 'GET',
        rawPath: '/jobs',
        rawQuery: 'maxResults=10&nextToken=tok&status=IN_PROGRESS',
        headers: {
          'x-amz-user-agent': 'aws-sdk-js/3.1168.0',
          'user-agent':
            'aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v669 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
          host: '127.0.0.1:18084',
          'x-amz-date': '20261122T145511Z',
          'x-amz-content-sha256': EMPTY_PAYLOAD_HASH,
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=4542e57f9b00084848b5c883211d209f1ec4ff9d7ff180ea2eeda1b980ec44be',
          connection: 'keep-alive',
        },
      }),
    ).toEqual({ ok: true, accessKeyId: ACCESS_KEY });
  });
});

describe('canonical query and path: the encoding traps', () => {
  it('keeps an encoded token encoded, with upper-case hex', () => {
    expect(canonicalQuery('nextToken=a%2Bb%2Fc%3D')).toBe('nextToken=a%2Bb%2Fc%3D');
    expect(canonicalQuery('nextToken=a%2bb%2fc%3d')).toBe('nextToken=a%2Bb%2Fc%3D');
  });

  it('reads a raw + as a plus, never as a space', () => {
    expect(canonicalQuery('nextToken=a+b')).toBe('nextToken=a%2Bb');
    expect(canonicalQuery('q=a%20b')).toBe('q=a%20b');
  });

  it('leaves unreserved characters literal and encodes the RFC 3986 reserved ones', () => {
    expect(canonicalQuery("q=-_.~!'()*")).toBe('q=-_.~%21%27%28%29%2A');
  });

  it('sorts by name, then value, not by the joined pair', () => {
    expect(canonicalQuery('a=2&a-b=1&a=1&b=')).toBe('a=1&a=2&a-b=1&b=');
    expect(canonicalQuery('flag&x=1')).toBe('flag=&x=1');
  });

  it('throws on a percent sequence that does not decode', () => {
    expect(() => canonicalQuery('q=%E0%A4%A')).toThrow(URIError);
  });

  it('signs an already encoded path label encoded again', () => {
    expect(canonicalPath('/thing-groups/cameras%3Aoutdoor')).toBe(
      '/thing-groups/cameras%253Aoutdoor',
    );
    expect(canonicalPath('/jobs/00104')).toBe('/jobs/00104');
    expect(canonicalPath('')).toBe('/');
    expect(canonicalPath('/a/./b/../c/')).toBe('/a/c/');
  });
});
