import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dataset } from './dataset.js';
import { FaultController, RequestCounters } from './faults.js';
import { listen, readBody, sleep } from './http.js';
import {
  type ImportExportLiveControl,
  ImportExportJobStore,
  type LiveImportExportJob,
} from './import-export-jobs.js';
import { type Entry, LiveChangeError } from './live-jobs.js';
import { createSigV4Verifier, type SigV4Verifier, sha256Hex } from './sigv4-verifier.js';

/**
 * A simulated AWS Import/Export (2010-06-01) that speaks the real wire protocol: form POST to `/`,
 * Signature Version 2 verified from the parameters it received, XML answers in the shapes the
 * model and the developer guide give, and query-protocol ErrorResponses. The SigV2 check
 * deliberately shares no code with the client's signer: encoding, ordering and HMAC are redone
 * here byte by byte, so that a bug in one cannot hide the same bug in the other.
 *
 * SigV4 is accepted as well, scoped to `us-east-1` and the signing name `IngestionService`: that
 * is what the endpoint rules of current botocore impose on this service (they override a
 * configured `signature_version='v2'`), so boto3 can only talk to it that way.
 *
 * The job list can change while clients page through it (`live`, CreateJob, CancelJob). A Marker
 * is the JobId to continue after, as the API defines; the listing is kept sorted, so continuing
 * after a job is a binary search, and a Marker of a deleted job continues after the place the job
 * had (or is refused, with `refuseMarkersOfDeletedJobs`).
 */

export type {
  ImportExportLiveControl,
  LiveImportExportJob,
  NewImportExportJob,
} from './import-export-jobs.js';

export interface ImportExportSimulatorOptions {
  readonly dataset: Dataset;
  /** The only credentials accepted. With a session token, requests must carry it. */
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string | undefined;
  };
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /**
   * The clock Timestamps are checked against, and of created jobs, in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
  /** Initial value of {@link ImportExportSimulator.refuseMarkersOfDeletedJobs}. @default false */
  readonly refuseMarkersOfDeletedJobs?: boolean;
}

export interface ImportExportSimulator {
  /** e.g. `http://127.0.0.1:4102`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  /** Requests by operation (`ListJobs`, `CancelJob`, ...) and `listed`, the jobs served. */
  readonly counters: RequestCounters;
  /** Changes the job list between requests. */
  readonly live: ImportExportLiveControl;
  /**
   * What a ListJobs Marker naming a deleted job gets. False: the page continues after the place
   * the job had in the listing (its creation time and id are kept), as a listing keyed by date
   * would. True: an ErrorResponse, InvalidParameterException, as for a Marker that was never a
   * job. Settable at any time.
   * @default false
   */
  refuseMarkersOfDeletedJobs: boolean;
  /**
   * Refuses the next `count` ListJobs requests that carry a Marker (InvalidParameterException),
   * whatever the Marker. Counted are requests that reach ListJobs (signed, not hit by an injected
   * fault) with a Marker; a request without one is not. Sets the count, it does not add to
   * it: `refuseNextMarkers(0)` cancels pending refusals.
   */
  refuseNextMarkers(count: number): void;
  close(): Promise<void>;
}

const NAMESPACE = 'http://importexport.amazonaws.com/doc/2010-06-01/';
const API_VERSION = '2010-06-01';
const DEFAULT_MAX_JOBS = 1000;
/** The credential scope of this global service in the endpoint rules. */
const SIGV4_REGION = 'us-east-1';
const SIGV4_SERVICE = 'IngestionService';
const SIGV4_SCOPE_REGION = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** AWS refuses a SigV2 Timestamp more than 15 minutes away from its own clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const MAX_BODY_BYTES = 64 * 1024;
const OPERATIONS = new Set(['ListJobs', 'GetStatus', 'CancelJob', 'CreateJob']);
const JOB_TYPES: ReadonlySet<string> = new Set(['Import', 'Export']);

interface Failure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const fail = (status: number, code: string, message: string): Failure => ({
  status,
  code,
  message,
});

export async function createImportExportSimulator(
  options: ImportExportSimulatorOptions,
): Promise<ImportExportSimulator> {
  const faults = new FaultController();
  const counters = new RequestCounters();
  const { credentials } = options;
  const now = options.now ?? Date.now;
  const store = new ImportExportJobStore(options.dataset, now);
  const { listing } = store;
  const rules = {
    refuseMarkersOfDeletedJobs: options.refuseMarkersOfDeletedJobs ?? false,
    refusals: 0,
  };
  const sigV4Verifiers = new Map<string, SigV4Verifier>();

  function authenticateSigV4(request: IncomingMessage, body: string): Failure | undefined {
    // AWS scopes this service to us-east-1; pointed at a custom endpoint, botocore signs with the
    // client's own region instead, so any well-formed region is accepted here.
    const scoped = SIGV4_SCOPE_REGION.exec(String(request.headers.authorization))?.[1];
    const region = scoped && REGION.test(scoped) ? scoped : SIGV4_REGION;
    let verify = sigV4Verifiers.get(region);
    if (verify === undefined) {
      verify = createSigV4Verifier({
        region,
        services: [SIGV4_SERVICE],
        secretFor: (id) =>
          id === credentials.accessKeyId ? credentials.secretAccessKey : undefined,
        now,
      });
      if (sigV4Verifiers.size >= 32) sigV4Verifiers.clear();
      sigV4Verifiers.set(region, verify);
    }
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const result = verify({
      method: request.method ?? 'POST',
      rawPath: query < 0 ? url : url.slice(0, query),
      rawQuery: query < 0 ? '' : url.slice(query + 1),
      headers: request.headers,
      payloadHash: sha256Hex(body),
    });
    if (!result.ok) return fail(result.status, result.code, result.message);
    const token = request.headers['x-amz-security-token'];
    if ((typeof token === 'string' ? token : '') !== (credentials.sessionToken ?? '')) {
      return fail(403, 'UnrecognizedClientException', 'The security token is invalid.');
    }
    return undefined;
  }

  function authenticate(params: Map<string, string>, host: string, path: string) {
    const signature = params.get('Signature');
    const accessKeyId = params.get('AWSAccessKeyId');
    const version = params.get('SignatureVersion');
    const method = params.get('SignatureMethod');
    const timestamp = params.get('Timestamp');
    const expires = params.get('Expires');
    if (!signature || !accessKeyId || !version || !method || !(timestamp || expires)) {
      return fail(400, 'MissingParameter', 'The request must contain the signature parameters.');
    }
    if (version !== '2') {
      return fail(400, 'InvalidParameterValue', 'Only SignatureVersion 2 is supported.');
    }
    if (method !== 'HmacSHA256' && method !== 'HmacSHA1') {
      return fail(400, 'InvalidParameterValue', 'SignatureMethod must be HmacSHA256 or HmacSHA1.');
    }
    // The developer guide names this InvalidClientTokenIdException, HTTP 403: no such access key.
    if (accessKeyId !== credentials.accessKeyId) {
      return fail(403, 'InvalidClientTokenIdException', 'The AWS Access Key Id does not exist.');
    }
    if ((params.get('SecurityToken') ?? '') !== (credentials.sessionToken ?? '')) {
      return fail(403, 'InvalidClientTokenIdException', 'The security token is invalid.');
    }
    const clock = now();
    if (timestamp) {
      const time = parseSigV2Time(timestamp);
      if (time === undefined) {
        return fail(400, 'InvalidParameterValue', 'Timestamp is not an ISO-8601 date-time.');
      }
      if (Math.abs(clock - time) > MAX_CLOCK_SKEW_MS) {
        return fail(403, 'RequestExpired', 'Request has expired.');
      }
    }
    if (expires) {
      const time = parseSigV2Time(expires);
      if (time === undefined) {
        return fail(400, 'InvalidParameterValue', 'Expires is not an ISO-8601 date-time.');
      }
      if (clock > time) return fail(403, 'RequestExpired', 'Request has expired.');
    }
    const stringToSign = `POST\n${host.toLowerCase()}\n${path}\n${canonicalise(params)}`;
    const expected = createHmac(
      method === 'HmacSHA1' ? 'sha1' : 'sha256',
      credentials.secretAccessKey,
    )
      .update(stringToSign, 'utf8')
      .digest('base64');
    // Compared as text: decoding the received base64 would forgive stray characters in it.
    const received = Buffer.from(signature, 'latin1');
    if (
      received.length !== expected.length ||
      !timingSafeEqual(received, Buffer.from(expected, 'latin1'))
    ) {
      return fail(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    return undefined;
  }

  function listJobs(params: Map<string, string>, requestId: string): Failure | string {
    const maxJobsText = params.get('MaxJobs');
    let maxJobs = DEFAULT_MAX_JOBS;
    if (maxJobsText !== undefined) {
      maxJobs = /^\d{1,4}$/.test(maxJobsText) ? Number(maxJobsText) : 0;
      if (maxJobs < 1 || maxJobs > DEFAULT_MAX_JOBS) {
        return fail(400, 'InvalidParameterException', 'MaxJobs must be between 1 and 1000.');
      }
    }
    let start = 0;
    const marker = params.get('Marker');
    if (marker) {
      if (rules.refusals > 0) {
        rules.refusals--;
        return fail(400, 'InvalidParameterException', 'Marker is no longer valid.');
      }
      const place = store.placeOf(marker);
      if (place.kind === 'unknown') {
        return fail(400, 'InvalidParameterException', 'Marker is not a job of this account.');
      }
      if (place.kind === 'deleted' && rules.refuseMarkersOfDeletedJobs) {
        return fail(400, 'InvalidParameterException', 'Marker names a job that was deleted.');
      }
      start = listing.indexAfter(place.key);
    }
    const end = Math.min(listing.size, start + maxJobs);
    let members = '';
    for (let i = start; i < end; i++) {
      const entry = listing.at(i) as Entry<LiveImportExportJob>;
      // Built once per version of a job: keeps the simulator's CPU out of benchmarks.
      entry.wire ??= jobMemberXml(entry.job);
      members += entry.wire;
    }
    counters.listed(end - start);
    // IsTruncated sits beside Jobs, where the model (and so every SDK) reads it.
    return (
      `<ListJobsResponse xmlns="${NAMESPACE}"><ListJobsResult>` +
      `<IsTruncated>${end < listing.size}</IsTruncated><Jobs>${members}</Jobs></ListJobsResult>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></ListJobsResponse>`
    );
  }

  function getStatus(params: Map<string, string>, requestId: string): Failure | string {
    const jobId = params.get('JobId');
    if (!jobId) return fail(400, 'MissingParameterException', 'JobId is required.');
    const entry = listing.get(jobId);
    if (entry === undefined) {
      return fail(400, 'InvalidJobIdException', 'No such job for your account.');
    }
    // A canceled job answers normally, with ProgressCode Canceled; CanceledJobIdException is
    // for operations that would change it.
    entry.detail ??= statusResultXml(entry.job);
    return (
      `<GetStatusResponse xmlns="${NAMESPACE}"><GetStatusResult>${entry.detail}</GetStatusResult>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetStatusResponse>`
    );
  }

  function cancelJob(params: Map<string, string>, requestId: string): Failure | string {
    const jobId = params.get('JobId');
    if (!jobId) return fail(400, 'MissingParameterException', 'JobId is required.');
    const job = store.job(jobId);
    if (job === undefined) {
      return fail(400, 'InvalidJobIdException', 'No such job for your account.');
    }
    if (job.isCanceled) {
      return fail(400, 'CanceledJobIdException', 'The job has already been canceled.');
    }
    if (job.progressCode === 'Complete') {
      return fail(400, 'UnableToCancelJobIdException', 'A completed job cannot be canceled.');
    }
    store.cancelJob(jobId);
    return resultXml('CancelJob', '<Success>true</Success>', requestId);
  }

  function createJob(params: Map<string, string>, requestId: string): Failure | string {
    const jobType = params.get('JobType');
    const manifest = params.get('Manifest');
    const validateOnly = params.get('ValidateOnly');
    if (!jobType || !manifest || validateOnly === undefined) {
      return fail(
        400,
        'MissingParameterException',
        'JobType, Manifest and ValidateOnly are required.',
      );
    }
    if (!JOB_TYPES.has(jobType)) {
      return fail(400, 'InvalidParameterException', 'JobType must be Import or Export.');
    }
    if (validateOnly !== 'true' && validateOnly !== 'false') {
      return fail(400, 'InvalidParameterException', 'ValidateOnly must be true or false.');
    }
    if (!/^manifestVersion:\s*\S+/m.test(manifest)) {
      return fail(400, 'MissingManifestFieldException', 'The manifest has no manifestVersion.');
    }
    if (validateOnly === 'true') {
      return resultXml(
        'CreateJob',
        `<JobType>${jobType}</JobType><ArtifactList></ArtifactList>`,
        requestId,
      );
    }
    const job = store.createJob({ jobType, currentManifest: manifest });
    return resultXml(
      'CreateJob',
      `<JobId>${escapeXml(job.jobId)}</JobId><JobType>${escapeXml(job.jobType)}</JobType>` +
        `<Signature>${escapeXml(job.signature)}</Signature>` +
        `<SignatureFileContents>${escapeXml(job.signatureFileContents)}</SignatureFileContents>` +
        '<ArtifactList></ArtifactList>',
      requestId,
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = new URL(request.url ?? '/', 'http://simulator');
    if (request.method !== 'POST') {
      sendError(response, fail(405, 'MethodNotAllowed', 'Use POST.'), requestId);
      return;
    }
    if (target.pathname !== '/') {
      sendError(response, fail(404, 'NotFound', 'The only resource is /.'), requestId);
      return;
    }
    let body: string;
    let params: Map<string, string>;
    try {
      body = await readBody(request, MAX_BODY_BYTES);
      params = parseForm(body);
    } catch {
      sendError(response, fail(400, 'MalformedQueryString', 'The body is not a form.'), requestId);
      return;
    }
    // Some generated SDKs name the operation in the request URI (`/?Operation=ListJobs`), as the
    // model's requestUri does; the SDKs of AWS put `Action` in the body.
    const action = params.get('Action') ?? target.searchParams.get('Operation') ?? undefined;
    if (action !== undefined && OPERATIONS.has(action)) counters.operation(action);

    const denied =
      request.headers.authorization === undefined
        ? authenticate(params, request.headers.host ?? '', target.pathname)
        : authenticateSigV4(request, body);
    if (denied) {
      counters.authFailed();
      sendError(response, denied, requestId);
      return;
    }
    if (action === undefined) {
      sendError(response, fail(400, 'MissingAction', 'Action is required.'), requestId);
      return;
    }
    if (!OPERATIONS.has(action)) {
      sendError(response, fail(400, 'InvalidAction', 'The action is not valid.'), requestId);
      return;
    }
    if (params.get('Version') !== API_VERSION) {
      sendError(
        response,
        fail(400, 'InvalidVersionException', `Version must be ${API_VERSION}.`),
        requestId,
      );
      return;
    }

    const decision = faults.decide(action);
    // A hung upstream: accept and never answer. The listener counts the request abandoned when
    // the client gives up and closes the socket.
    if (decision === 'hang') return;
    await sleep(faults.current.latencyMs);
    if (decision === 'error') {
      sendError(response, fail(503, 'ServiceUnavailable', 'Service is unavailable.'), requestId);
      return;
    }
    if (decision === 'throttle') {
      // Query-protocol services throttle with Code Throttling; this one over HTTP 503.
      sendError(response, fail(503, 'Throttling', 'Rate exceeded.'), requestId, 'Sender');
      return;
    }
    let answer: Failure | string;
    try {
      answer =
        action === 'ListJobs'
          ? listJobs(params, requestId)
          : action === 'GetStatus'
            ? getStatus(params, requestId)
            : action === 'CancelJob'
              ? cancelJob(params, requestId)
              : createJob(params, requestId);
    } catch (error) {
      if (!(error instanceof LiveChangeError)) throw error;
      answer = fail(400, 'InvalidParameterException', error.message);
    }
    if (typeof answer !== 'string') {
      sendError(response, answer, requestId);
      return;
    }
    // Malformed: a 200 whose XML stops halfway, as a cut connection behind a proxy would leave it.
    send(
      response,
      200,
      decision === 'malformed' ? answer.slice(0, answer.length >> 1) : answer,
      requestId,
    );
  }

  const running = await listen(handle, counters, { host: options.host, port: options.port });
  return {
    url: running.url,
    port: running.port,
    faults,
    counters,
    live: store,
    get refuseMarkersOfDeletedJobs() {
      return rules.refuseMarkersOfDeletedJobs;
    },
    set refuseMarkersOfDeletedJobs(value: boolean) {
      rules.refuseMarkersOfDeletedJobs = value;
    },
    refuseNextMarkers(count: number) {
      rules.refusals = Math.max(0, Math.floor(count));
    },
    close: () => running.close(),
  };
}

/** A query-protocol answer: `<XResponse><XResult>…</XResult><ResponseMetadata>…`. */
function resultXml(operation: string, result: string, requestId: string): string {
  return (
    `<${operation}Response xmlns="${NAMESPACE}"><${operation}Result>${result}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

function send(response: ServerResponse, status: number, xml: string, requestId: string): void {
  response.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  response.end(xml);
}

function sendError(
  response: ServerResponse,
  failure: Failure,
  requestId: string,
  type: 'Sender' | 'Receiver' = failure.status >= 500 ? 'Receiver' : 'Sender',
): void {
  // The developer guide's shape: RequestId is a sibling of Error, not inside it.
  const xml =
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(failure.code)}</Code><Message>${escapeXml(failure.message)}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  send(response, failure.status, xml, requestId);
}

function jobMemberXml(job: LiveImportExportJob): string {
  return (
    `<member><CreationDate>${isoSeconds(job.createdAt)}</CreationDate>` +
    `<IsCanceled>${job.isCanceled}</IsCanceled><JobId>${escapeXml(job.jobId)}</JobId>` +
    `<JobType>${escapeXml(job.jobType)}</JobType></member>`
  );
}

/** The members of GetStatusResult, in the model's order. */
function statusResultXml(job: LiveImportExportJob): string {
  const element = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  const artifacts = job.artifacts
    .map(
      (artifact) =>
        `<member>${element('Description', artifact.description)}${element('URL', artifact.url)}</member>`,
    )
    .join('');
  return (
    element('JobId', job.jobId) +
    element('JobType', job.jobType) +
    element('LocationCode', job.locationCode) +
    element('LocationMessage', job.locationMessage) +
    element('ProgressCode', job.progressCode) +
    element('ProgressMessage', job.progressMessage) +
    element('Carrier', job.carrier) +
    element('TrackingNumber', job.trackingNumber) +
    element('LogBucket', job.logBucket) +
    element('LogKey', job.logKey) +
    element('ErrorCount', String(job.errorCount)) +
    element('Signature', job.signature) +
    element('SignatureFileContents', job.signatureFileContents) +
    element('CurrentManifest', job.currentManifest) +
    element('CreationDate', isoSeconds(job.createdAt)) +
    `<ArtifactList>${artifacts}</ArtifactList>`
  );
}

/** `2010-02-05T19:17:38Z`, the form of the developer guide's examples. */
function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const NEEDS_ESCAPE = /[&<>"'\r]/;
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A raw CR would be normalised to LF by any XML parser; a reference keeps it.
  '\r': '&#13;',
};

export function escapeXml(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

/**
 * An `application/x-www-form-urlencoded` body as botocore (`+` for a space, any order) and the JS
 * SDK (`%20`, sorted) write it. A repeated name is refused: the signature would cover both values
 * while the operation read one.
 */
function parseForm(body: string): Map<string, string> {
  const params = new Map<string, string>();
  if (body === '') return params;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeFormComponent(pair.slice(eq + 1));
    if (params.has(name)) throw new Error(`repeated parameter ${name}`);
    params.set(name, value);
  }
  return params;
}

function decodeFormComponent(text: string): string {
  return decodeURIComponent(text.includes('+') ? text.replace(/\+/g, ' ') : text);
}

const UNRESERVED = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') {
  UNRESERVED[c.charCodeAt(0)] = 1;
}
const HEX = '0123456789ABCDEF';

/** RFC 3986 over the UTF-8 bytes: unreserved bytes as they are, every other byte as `%XX`. */
function percentEncode(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  for (const byte of bytes) {
    out += UNRESERVED[byte] ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/** The received parameters but Signature, sorted by the bytes of their names, encoded, joined. */
function canonicalise(params: Map<string, string>): string {
  const names = [...params.keys()]
    .filter((name) => name !== 'Signature')
    .map((name) => ({ name, bytes: Buffer.from(name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return names
    .map(({ name }) => `${percentEncode(name)}=${percentEncode(params.get(name) ?? '')}`)
    .join('&');
}

/** `YYYY-MM-DDThh:mm:ss` with optional fraction, and `Z` or an offset; undefined otherwise. */
function parseSigV2Time(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return undefined;
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}
