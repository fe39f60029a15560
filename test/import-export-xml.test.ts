import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/errors.js';
import { errorFromResponse } from '../src/upstreams/import-export/errors.js';
import { toJobPage, toStatusRecord } from '../src/upstreams/import-export/mappers.js';
import {
  readErrorResponse,
  readGetStatusResponse,
  readListJobsResponse,
  type XmlGetStatusResponse,
  type XmlListJobsResponse,
  XmlShapeError,
} from '../src/upstreams/import-export/xml.js';

const NS = 'http://importexport.amazonaws.com/doc/2010-06-01/';

/** The ListJobs sample that boto3 and aws-sdk v2 were both shown to parse (2 jobs, truncated). */
const LIST_JOBS_SAMPLE = `<ListJobsResponse xmlns="${NS}">
  <ListJobsResult>
    <IsTruncated>true</IsTruncated>
    <Jobs>
      <member>
        <CreationDate>2010-02-05T19:17:38Z</CreationDate>
        <IsCanceled>false</IsCanceled>
        <JobId>TEST2</JobId>
        <JobType>Import</JobType>
      </member>
      <member>
        <CreationDate>2009-12-30T08:02:11Z</CreationDate>
        <IsCanceled>true</IsCanceled>
        <JobId>TEST1</JobId>
        <JobType>Export</JobType>
      </member>
    </Jobs>
  </ListJobsResult>
  <ResponseMetadata>
    <RequestId>8b6e6a34-0adb-11df-a381-155bec6f7c93</RequestId>
  </ResponseMetadata>
</ListJobsResponse>
`;

const GET_STATUS_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<GetStatusResponse xmlns="${NS}">
  <GetStatusResult>
    <JobId>TEST2</JobId>
    <JobType>Import</JobType>
    <LocationCode>AtAWS</LocationCode>
    <LocationMessage>The device is at AWS</LocationMessage>
    <ProgressCode>Started</ProgressCode>
    <ProgressMessage>Data transfer has started</ProgressMessage>
    <Carrier>UPS</Carrier>
    <TrackingNumber>1Z999AA10123456784</TrackingNumber>
    <LogBucket>my-log-bucket</LogBucket>
    <LogKey>import-logs/TEST2.log</LogKey>
    <ErrorCount>0</ErrorCount>
    <Signature>DV+TpDfx1/TdSE9ktyK9k/bDTVI=</Signature>
    <SignatureFileContents>version:2.0
signingMethod:HmacSHA1
jobId:TEST2
signature:DV+TpDfx1/TdSE9ktyK9k/bDTVI=</SignatureFileContents>
    <CurrentManifest>manifestVersion:2.0
bucket:my-bucket
deviceId:49382</CurrentManifest>
    <CreationDate>2010-02-05T19:17:38Z</CreationDate>
    <ArtifactList>
      <member>
        <Description>Label</Description>
        <URL>https://example.invalid/label.pdf</URL>
      </member>
    </ArtifactList>
  </GetStatusResult>
  <ResponseMetadata>
    <RequestId>a1f5a4c6-0adb-11df-a381-155bec6f7c93</RequestId>
  </ResponseMetadata>
</GetStatusResponse>`;

function listJobs(body: string): XmlListJobsResponse {
  const parsed = readListJobsResponse(body);
  if (parsed.kind !== 'ListJobs') throw new Error(`expected ListJobs, got ${parsed.kind}`);
  return parsed;
}

function getStatus(body: string): XmlGetStatusResponse {
  const parsed = readGetStatusResponse(body);
  if (parsed.kind !== 'GetStatus') throw new Error(`expected GetStatus, got ${parsed.kind}`);
  return parsed;
}

/** A ListJobs document around the given members and IsTruncated placement. */
function listJobsXml(members: string, truncated = '<IsTruncated>false</IsTruncated>'): string {
  return `<ListJobsResponse xmlns="${NS}"><ListJobsResult>${truncated}<Jobs>${members}</Jobs></ListJobsResult></ListJobsResponse>`;
}

function member(jobId: string, extra = ''): string {
  return `<member><JobId>${jobId}</JobId><JobType>Import</JobType><IsCanceled>false</IsCanceled><CreationDate>2010-02-05T19:17:38Z</CreationDate>${extra}</member>`;
}

function badResponseOf(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe('ListJobs XML', () => {
  it('reads the documented sample into records with real booleans, dates and request id', () => {
    const parsed = listJobs(LIST_JOBS_SAMPLE);
    expect(parsed.requestId).toBe('8b6e6a34-0adb-11df-a381-155bec6f7c93');
    const page = toJobPage(parsed);
    expect(page).toEqual({
      isTruncated: true,
      items: [
        {
          kind: 'importExport',
          jobId: 'TEST2',
          jobType: 'Import',
          createdAt: new Date('2010-02-05T19:17:38Z'),
          isCanceled: false,
        },
        {
          kind: 'importExport',
          jobId: 'TEST1',
          jobType: 'Export',
          createdAt: new Date('2009-12-30T08:02:11Z'),
          isCanceled: true,
        },
      ],
    });
  });

  it('keeps a one-element Jobs list a list', () => {
    const page = toJobPage(listJobs(listJobsXml(member('ONLY1'))));
    expect(page.items.map((job) => job.jobId)).toEqual(['ONLY1']);
    const pretty = `<ListJobsResponse>\n  <ListJobsResult>\n    <Jobs>\n      ${member('ONLY2')}\n    </Jobs>\n  </ListJobsResult>\n</ListJobsResponse>\n`;
    expect(toJobPage(listJobs(pretty)).items.map((job) => job.jobId)).toEqual(['ONLY2']);
  });

  it.each([
    ['self-closing', '<Jobs/>'],
    ['open and close', '<Jobs></Jobs>'],
    ['whitespace only', '<Jobs>\n      \n    </Jobs>'],
    ['absent', ''],
  ])('reads an empty Jobs list (%s)', (_name, jobs) => {
    const body = `<ListJobsResponse xmlns="${NS}"><ListJobsResult><IsTruncated>false</IsTruncated>${jobs}</ListJobsResult></ListJobsResponse>`;
    expect(toJobPage(listJobs(body))).toEqual({ items: [], isTruncated: false });
  });

  it('never coerces values: leading zeros, numbers, hex, exponents and booleans stay text', () => {
    const ids = ['00123', '0', '1e5', '0x1F', 'true', '007.50', ' 00042 '];
    const page = toJobPage(listJobs(listJobsXml(ids.map((id) => member(id)).join(''))));
    expect(page.items.map((job) => job.jobId)).toEqual(ids);
    for (const job of page.items) expect(typeof job.jobId).toBe('string');
  });

  it.each([
    ['beside Jobs (the model)', 'result'],
    ['inside Jobs (the developer guide)', 'jobs'],
    ['inside the last Jobs/member', 'member'],
  ])('finds IsTruncated %s', (_name, where) => {
    const flag = '<IsTruncated>true</IsTruncated>';
    const body =
      where === 'result'
        ? listJobsXml(member('A'), flag)
        : where === 'jobs'
          ? listJobsXml(`${member('A')}${flag}`, '')
          : listJobsXml(member('A', flag), '');
    expect(toJobPage(listJobs(body)).isTruncated).toBe(true);
  });

  it('reads an absent IsTruncated as the last page, as the SDK paginators do', () => {
    expect(toJobPage(listJobs(listJobsXml(member('A'), ''))).isTruncated).toBe(false);
  });

  it.each([
    ['the model namespace', `xmlns="${NS}"`, ''],
    ['the developer guide namespace', 'xmlns="http://importexport.amazonaws.com/"', ''],
    ['an empty namespace', 'xmlns=""', ''],
    ['no namespace', '', ''],
    ['a prefixed namespace', 'xmlns:ie="http://importexport.amazonaws.com/"', 'ie:'],
  ])('ignores %s', (_name, xmlns, p) => {
    const body = `<?xml version="1.0"?><${p}ListJobsResponse ${xmlns}><${p}ListJobsResult><${p}IsTruncated>true</${p}IsTruncated><${p}Jobs><${p}member><${p}JobId>00123</${p}JobId></${p}member></${p}Jobs></${p}ListJobsResult><${p}ResponseMetadata><${p}RequestId>r-1</${p}RequestId></${p}ResponseMetadata></${p}ListJobsResponse>`;
    const parsed = listJobs(body);
    expect(parsed.requestId).toBe('r-1');
    expect(toJobPage(parsed)).toEqual({
      isTruncated: true,
      items: [
        { kind: 'importExport', jobId: '00123', jobType: null, createdAt: null, isCanceled: false },
      ],
    });
  });

  it('decodes XML escapes but expands no DOCTYPE entity', () => {
    const escaped = listJobsXml(member('A&amp;B&lt;&#67;&#x44;&gt;&quot;&apos;'));
    expect(toJobPage(listJobs(escaped)).items[0]?.jobId).toBe(`A&B<CD>"'`);
    const withDoctype = `<!DOCTYPE ListJobsResponse [<!ENTITY boom "exploded">]>${listJobsXml(member('X&boom;'))}`;
    expect(toJobPage(listJobs(withDoctype)).items[0]?.jobId).toBe('X&boom;');
  });

  it('refuses every cut-short copy of a document instead of returning fewer jobs', () => {
    const full = LIST_JOBS_SAMPLE.trimEnd();
    expect(toJobPage(listJobs(full)).items).toHaveLength(2);
    for (let cut = 1; cut < full.length; cut++) {
      const prefix = full.slice(0, cut);
      expect(() => readListJobsResponse(prefix), `cut at ${cut}`).toThrow(XmlShapeError);
    }
  });

  it.each([
    ['not XML', 'Service Unavailable'],
    ['an HTML page', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
    ['another operation', '<GetStatusResponse><GetStatusResult/></GetStatusResponse>'],
    ['no result wrapper', `<ListJobsResponse xmlns="${NS}"></ListJobsResponse>`],
    ['text where Jobs should hold members', listJobsXml('surprise')],
    ['two JobIds in one member', listJobsXml('<member><JobId>A</JobId><JobId>B</JobId></member>')],
    ['an empty body', ''],
  ])('refuses %s', (_name, body) => {
    expect(() => readListJobsResponse(body)).toThrow(XmlShapeError);
  });

  it.each([
    ['a member without JobId', listJobsXml('<member><JobType>Import</JobType></member>')],
    ['an empty JobId', listJobsXml(member(''))],
    ['IsCanceled that is not a boolean', listJobsXml(member('A').replace('false', 'maybe'))],
    [
      'an unreadable CreationDate',
      listJobsXml(member('A').replace('2010-02-05T19:17:38Z', 'yesterday')),
    ],
    ['a CreationDate without a zone', listJobsXml(member('A').replace('38Z', '38'))],
    ['IsTruncated that is not a boolean', listJobsXml(member('A'), '<IsTruncated>1</IsTruncated>')],
  ])('maps %s to UPSTREAM_BAD_RESPONSE', (_name, body) => {
    const error = badResponseOf(() => toJobPage(listJobs(body)));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.source).toBe('IMPORT_EXPORT');
  });

  it('reads ISO-8601 variants and keeps an unknown JobType as sent, reporting it', () => {
    const variants = [
      ['2010-02-05T19:17:38Z', '2010-02-05T19:17:38.000Z'],
      ['2010-02-05T19:17:38.123Z', '2010-02-05T19:17:38.123Z'],
      ['2010-02-05T20:17:38+01:00', '2010-02-05T19:17:38.000Z'],
      ['2010-02-05T20:17:38+0100', '2010-02-05T19:17:38.000Z'],
    ];
    for (const [wire, iso] of variants) {
      const body = listJobsXml(member('A').replace('2010-02-05T19:17:38Z', wire as string));
      expect(toJobPage(listJobs(body)).items[0]?.createdAt?.toISOString()).toBe(iso);
    }
    const odd = listJobsXml(member('A').replace('Import', 'Snowball'));
    const reported: string[] = [];
    const page = toJobPage(listJobs(odd), (field, value) => reported.push(`${field}=${value}`));
    expect(page.items[0]?.jobType).toBe('Snowball');
    expect(reported).toEqual(['ImportExportJob.jobType=Snowball']);
  });
});

describe('GetStatus XML', () => {
  it('reads every documented field, multi-line text intact, one-element ArtifactList a list', () => {
    const parsed = getStatus(GET_STATUS_SAMPLE);
    expect(parsed.requestId).toBe('a1f5a4c6-0adb-11df-a381-155bec6f7c93');
    expect(toStatusRecord(parsed, 'TEST2')).toEqual({
      jobId: 'TEST2',
      jobType: 'Import',
      locationCode: 'AtAWS',
      locationMessage: 'The device is at AWS',
      progressCode: 'Started',
      progressMessage: 'Data transfer has started',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      logBucket: 'my-log-bucket',
      logKey: 'import-logs/TEST2.log',
      errorCount: 0,
      signature: 'DV+TpDfx1/TdSE9ktyK9k/bDTVI=',
      signatureFileContents:
        'version:2.0\nsigningMethod:HmacSHA1\njobId:TEST2\nsignature:DV+TpDfx1/TdSE9ktyK9k/bDTVI=',
      currentManifest: 'manifestVersion:2.0\nbucket:my-bucket\ndeviceId:49382',
      createdAt: new Date('2010-02-05T19:17:38Z'),
      artifacts: [{ description: 'Label', url: 'https://example.invalid/label.pdf' }],
    });
  });

  it('treats every member as optional and keeps a leading-zero JobId', () => {
    const body = `<GetStatusResponse><GetStatusResult><JobId>00123</JobId><ArtifactList/></GetStatusResult></GetStatusResponse>`;
    const record = toStatusRecord(getStatus(body), '00123');
    expect(record.jobId).toBe('00123');
    expect(record.errorCount).toBeNull();
    expect(record.createdAt).toBeNull();
    expect(record.artifacts).toEqual([]);
    expect(record.carrier).toBeNull();
  });

  it.each([
    ['ErrorCount that is not an integer', '<JobId>A</JobId><ErrorCount>two</ErrorCount>'],
    ['a CreationDate that is not a date', '<JobId>A</JobId><CreationDate>soon</CreationDate>'],
    ['the status of another job', '<JobId>B</JobId>'],
  ])('maps %s to UPSTREAM_BAD_RESPONSE', (_name, fields) => {
    const body = `<GetStatusResponse><GetStatusResult>${fields}</GetStatusResult></GetStatusResponse>`;
    expect(badResponseOf(() => toStatusRecord(getStatus(body), 'A')).code).toBe(
      'UPSTREAM_BAD_RESPONSE',
    );
  });
});

describe('ErrorResponse XML', () => {
  const documented = `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidJobIdException</Code>
    <Message>No such job TEST9 for your account</Message>
  </Error>
  <RequestId>a1f5a4c6-0adb-11df-a381-155bec6f7c93</RequestId>
</ErrorResponse>`;

  it('reads Code, Type and the top-level RequestId, and never the message', () => {
    const parsed = readErrorResponse(documented);
    expect(parsed).toEqual({
      kind: 'error',
      code: 'InvalidJobIdException',
      type: 'Sender',
      requestId: 'a1f5a4c6-0adb-11df-a381-155bec6f7c93',
    });
    expect(JSON.stringify(parsed)).not.toContain('No such job');
  });

  it('unwraps the optional <Errors> wrapper and other namespaces', () => {
    const wrapped = `<ErrorResponse xmlns="http://importexport.amazonaws.com/"><Errors><Error><Type>Sender</Type><Code>ExpiredJobIdException</Code><Message>m</Message></Error></Errors><RequestId>r-2</RequestId></ErrorResponse>`;
    expect(readErrorResponse(wrapped)).toMatchObject({
      code: 'ExpiredJobIdException',
      requestId: 'r-2',
    });
  });

  it('is what readListJobsResponse returns for an ErrorResponse body', () => {
    expect(readListJobsResponse(documented)).toMatchObject({
      kind: 'error',
      code: 'InvalidJobIdException',
    });
    expect(readGetStatusResponse(documented)).toMatchObject({
      kind: 'error',
      code: 'InvalidJobIdException',
    });
  });

  it('returns undefined for bodies that are no ErrorResponse', () => {
    for (const body of [
      '',
      'oops',
      '<html><body>502</body></html>',
      LIST_JOBS_SAMPLE,
      documented.slice(0, 90),
    ]) {
      expect(readErrorResponse(body)).toBeUndefined();
    }
  });
});

describe('error classification', () => {
  const errorXml = (code: string) =>
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>secret upstream detail</Message></Error><RequestId>req-9</RequestId></ErrorResponse>`;

  it.each([
    [403, 'InvalidAccessKeyIdException', 'UPSTREAM_AUTH'],
    [403, 'InvalidClientTokenId', 'UPSTREAM_AUTH'],
    [403, 'InvalidClientTokenIdException', 'UPSTREAM_AUTH'],
    [403, 'SignatureDoesNotMatch', 'UPSTREAM_AUTH'],
    [401, 'AuthFailure', 'UPSTREAM_AUTH'],
    [403, 'RequestExpired', 'UPSTREAM_AUTH'],
    [403, 'InvalidSignatureException', 'UPSTREAM_AUTH'],
    [400, 'Throttling', 'UPSTREAM_THROTTLED'],
    [503, 'Throttling', 'UPSTREAM_THROTTLED'],
    [400, 'ThrottlingException', 'UPSTREAM_THROTTLED'],
    [400, 'RequestLimitExceeded', 'UPSTREAM_THROTTLED'],
    [503, 'SlowDown', 'UPSTREAM_THROTTLED'],
    [429, 'TooManyRequestsException', 'UPSTREAM_THROTTLED'],
    [503, 'ServiceUnavailable', 'UPSTREAM_UNAVAILABLE'],
    [500, 'InternalError', 'UPSTREAM_UNAVAILABLE'],
    [500, 'SomethingNew', 'UPSTREAM_UNAVAILABLE'],
    [400, 'InvalidJobIdException', 'NOT_FOUND'],
    [400, 'ExpiredJobIdException', 'NOT_FOUND'],
    [400, 'CanceledJobIdException', 'NOT_FOUND'],
    [400, 'InvalidParameterException', 'BAD_USER_INPUT'],
    [400, 'MissingParameterException', 'BAD_USER_INPUT'],
    [400, 'InvalidVersionException', 'BAD_USER_INPUT'],
    [400, 'SomethingNew', 'UPSTREAM_BAD_RESPONSE'],
    [403, 'SomethingNew', 'UPSTREAM_AUTH'],
  ])('HTTP %i with %s is %s', (status, code, expected) => {
    const error = errorFromResponse(status, errorXml(code));
    expect(error.code).toBe(expected);
    expect(error.source).toBe('IMPORT_EXPORT');
    expect(error.upstreamCode).toBe(code);
    expect(error.httpStatus).toBe(status);
    expect(error.requestId).toBe('req-9');
    expect(error.retryable).toBe(
      expected === 'UPSTREAM_THROTTLED' || expected === 'UPSTREAM_UNAVAILABLE',
    );
  });

  it.each([
    [502, '<html>Bad Gateway</html>', 'UPSTREAM_UNAVAILABLE'],
    [503, '', 'UPSTREAM_UNAVAILABLE'],
    [429, '', 'UPSTREAM_THROTTLED'],
    [403, 'Forbidden', 'UPSTREAM_AUTH'],
    [400, '<ErrorResponse><Error><Code>Trunc', 'UPSTREAM_BAD_RESPONSE'],
    [302, '', 'UPSTREAM_BAD_RESPONSE'],
  ])('HTTP %i with an unreadable body is %s', (status, body, expected) => {
    const error = errorFromResponse(status, body, 'header-id');
    expect(error.code).toBe(expected);
    expect(error.upstreamCode).toBeUndefined();
    expect(error.requestId).toBe('header-id');
  });

  it('keeps no upstream message text anywhere on the error', () => {
    const error = errorFromResponse(400, errorXml('InvalidJobIdException'));
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain('secret upstream detail');
  });
});
