import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalQueryString,
  compareByteOrder,
  encodeRfc3986,
  formatTimestamp,
  signV2,
} from '../src/upstreams/import-export/sigv2.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const listJobs = { Action: 'ListJobs', Version: '2010-06-01', MaxJobs: '5', Marker: 'ABC' };

function formParams(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

describe('SigV2 signer', () => {
  it('reproduces the deterministic test vector (botocore and aws-sdk v2 agree on it)', () => {
    const signed = signV2({
      params: listJobs,
      host: 'importexport.amazonaws.com',
      credentials,
      date: new Date('2015-05-27T18:58:21Z'),
    });
    expect(signed.stringToSign).toBe(
      'POST\nimportexport.amazonaws.com\n/\n' +
        'AWSAccessKeyId=AKIDEXAMPLE&Action=ListJobs&Marker=ABC&MaxJobs=5&' +
        'SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-05-27T18%3A58%3A21Z&' +
        'Version=2010-06-01',
    );
    expect(signed.signature).toBe('hxhj3r70NgHZlpAS5o0jD2AQsXsSgnVBl53vIlXDq/A=');
    // The body carries the same parameters as the JS SDK's body, signature included.
    const sdkBody =
      'AWSAccessKeyId=AKIDEXAMPLE&Action=ListJobs&Marker=ABC&MaxJobs=5&' +
      'Signature=hxhj3r70NgHZlpAS5o0jD2AQsXsSgnVBl53vIlXDq%2FA%3D&SignatureMethod=HmacSHA256&' +
      'SignatureVersion=2&Timestamp=2015-05-27T18%3A58%3A21Z&Version=2010-06-01';
    expect(formParams(signed.body)).toEqual(formParams(sdkBody));
    expect(signed.body).toContain('Signature=hxhj3r70NgHZlpAS5o0jD2AQsXsSgnVBl53vIlXDq%2FA%3D');
  });

  it('reproduces the captured botocore (signature_version v2) request, port in the host', () => {
    const signed = signV2({
      params: listJobs,
      host: '127.0.0.1:18081',
      credentials,
      date: new Date('2026-11-22T14:53:44Z'),
    });
    expect(signed.signature).toBe('2qb6AU2KqqAg/D6WYOWQ8c4w7TtZFJVueKvMG51aP1s=');
    const withoutPort = signV2({
      params: listJobs,
      host: '127.0.0.1',
      credentials,
      date: new Date('2026-11-22T14:53:44Z'),
    });
    expect(withoutPort.signature).not.toBe(signed.signature);
  });

  it('reproduces the captured aws-sdk v2 request', () => {
    const signed = signV2({
      params: listJobs,
      host: '127.0.0.1:18081',
      credentials,
      date: new Date('2026-11-22T14:54:13Z'),
    });
    expect(signed.signature).toBe('oK4+eUADI68fFw18ErrrTxwZrbUBVxr40xwTe56DP0Y=');
  });

  it('signs the host in lowercase', () => {
    const date = new Date('2015-05-27T18:58:21Z');
    const upper = signV2({
      params: listJobs,
      host: 'ImportExport.AmazonAWS.com',
      credentials,
      date,
    });
    const lower = signV2({
      params: listJobs,
      host: 'importexport.amazonaws.com',
      credentials,
      date,
    });
    expect(upper.signature).toBe(lower.signature);
  });

  it('adds SecurityToken, in byte order and under the signature, when a session token exists', () => {
    const date = new Date('2015-05-27T18:58:21Z');
    const sessionToken = 'FQoGZXIvYXdzE//token+with=chars';
    const signed = signV2({
      params: listJobs,
      host: 'importexport.amazonaws.com',
      credentials: { ...credentials, sessionToken },
      date,
    });
    const expectedCanonical =
      'AWSAccessKeyId=AKIDEXAMPLE&Action=ListJobs&Marker=ABC&MaxJobs=5&' +
      'SecurityToken=FQoGZXIvYXdzE%2F%2Ftoken%2Bwith%3Dchars&' +
      'SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-05-27T18%3A58%3A21Z&' +
      'Version=2010-06-01';
    expect(signed.stringToSign).toBe(`POST\nimportexport.amazonaws.com\n/\n${expectedCanonical}`);
    const independent = createHmac('sha256', credentials.secretAccessKey)
      .update(signed.stringToSign)
      .digest('base64');
    expect(signed.signature).toBe(independent);
    expect(formParams(signed.body).SecurityToken).toBe(sessionToken);
    expect(signed.signature).not.toBe('hxhj3r70NgHZlpAS5o0jD2AQsXsSgnVBl53vIlXDq/A=');

    const withoutToken = signV2({ params: listJobs, host: 'h', credentials, date });
    expect(formParams(withoutToken.body)).not.toHaveProperty('SecurityToken');
  });

  it('encodes per RFC 3986: %20 for a space, never +, and the characters encodeURIComponent keeps', () => {
    expect(encodeRfc3986("a b+c*d~e!'()/=&-_.")).toBe('a%20b%2Bc%2Ad~e%21%27%28%29%2F%3D%26-_.');
    expect(encodeRfc3986('é😀')).toBe('%C3%A9%F0%9F%98%80');
    // A lone surrogate has no UTF-8 form; it is sent (and signed) as U+FFFD.
    expect(encodeRfc3986('x\uD800y')).toBe('x%EF%BF%BDy');

    const signed = signV2({
      params: { Action: 'ListJobs', Version: '2010-06-01', Marker: "Jane Roe's (job)*" },
      host: 'h',
      credentials,
      date: new Date(0),
    });
    expect(signed.stringToSign).toContain('Marker=Jane%20Roe%27s%20%28job%29%2A&');
    expect(signed.body).not.toContain('+');
    expect(formParams(signed.body).Marker).toBe("Jane Roe's (job)*");
  });

  it('sorts parameter names by byte order, not by locale or UTF-16 unit', () => {
    expect(canonicalQueryString({ b: '1', B: '2', a: '3', A: '4', _: '5' })).toBe(
      'A=4&B=2&_=5&a=3&b=1',
    );
    // U+E000 is EE 80 80 in UTF-8 and U+1F600 is F0 9F 98 80: byte order puts U+E000 first,
    // while UTF-16 code units (E000 against D83D) would not.
    expect(compareByteOrder('\uE000', '😀')).toBeLessThan(0);
    expect(compareByteOrder('😀', '\uE000')).toBeGreaterThan(0);
    expect(compareByteOrder('ab', 'abc')).toBeLessThan(0);
    expect(canonicalQueryString({ Signature: 'x', A: '1' })).toBe('A=1');
  });

  it('writes Timestamp without milliseconds', () => {
    expect(formatTimestamp(new Date('2015-05-27T18:58:21.987Z'))).toBe('2015-05-27T18:58:21Z');
  });
});
