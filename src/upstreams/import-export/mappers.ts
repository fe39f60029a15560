import { UpstreamError } from '../../errors.js';
import type {
  ArtifactRecord,
  ImportExportJobPage,
  ImportExportJobRecord,
  ImportExportJobType,
  ImportExportStatusRecord,
  UnknownValue,
  UnknownValueReporter,
} from '../types.js';
import type { XmlGetStatusResponse, XmlJobMember, XmlListJobsResponse } from './xml.js';

/**
 * Parsed XML to domain records. Every conversion is explicit: the parser hands over strings only,
 * so `"false"` never becomes truthy and `"00123"` never becomes 123. A value that is present but
 * cannot be read is an upstream fault (UPSTREAM_BAD_RESPONSE), never a silent null; an absent
 * optional member is null, as the model makes every member optional.
 */

export function toJobPage(
  response: XmlListJobsResponse,
  onUnknownValue?: UnknownValueReporter,
): ImportExportJobPage {
  const items: ImportExportJobRecord[] = new Array(response.jobs.length);
  for (let i = 0; i < response.jobs.length; i++) {
    items[i] = toJobRecord(response.jobs[i] as XmlJobMember, response.requestId, onUnknownValue);
  }
  // An absent IsTruncated ends the walk, as the SDK paginators read it.
  const isTruncated = toBoolean(response.isTruncated, 'IsTruncated', response.requestId) ?? false;
  return { items, isTruncated };
}

export function toJobRecord(
  member: XmlJobMember,
  requestId?: string,
  onUnknownValue?: UnknownValueReporter,
): ImportExportJobRecord {
  const jobId = member.JobId;
  // The JobId is the Marker of the next page and the key of every cursor: without it the page
  // cannot be continued, so the whole answer is refused rather than the job skipped.
  if (jobId === undefined || jobId === '')
    throw badResponse('Jobs/member without JobId', requestId);
  return {
    kind: 'importExport',
    jobId,
    jobType: toJobType(member.JobType, onUnknownValue),
    createdAt: toDate(member.CreationDate, 'CreationDate', requestId),
    isCanceled: toBoolean(member.IsCanceled, 'IsCanceled', requestId) ?? false,
  };
}

/** `requestedJobId` fills a missing JobId; a different one means the answer is not ours. */
export function toStatusRecord(
  response: XmlGetStatusResponse,
  requestedJobId: string,
  onUnknownValue?: UnknownValueReporter,
): ImportExportStatusRecord {
  const { fields, requestId } = response;
  const jobId = fields.JobId === undefined || fields.JobId === '' ? requestedJobId : fields.JobId;
  if (jobId !== requestedJobId) throw badResponse('GetStatus answered another JobId', requestId);
  const artifacts: ArtifactRecord[] = response.artifacts.map((artifact) => ({
    description: artifact.Description ?? null,
    url: artifact.URL ?? null,
  }));
  return {
    jobId,
    jobType: toJobType(fields.JobType, onUnknownValue),
    locationCode: fields.LocationCode ?? null,
    locationMessage: fields.LocationMessage ?? null,
    progressCode: fields.ProgressCode ?? null,
    progressMessage: fields.ProgressMessage ?? null,
    carrier: fields.Carrier ?? null,
    trackingNumber: fields.TrackingNumber ?? null,
    logBucket: fields.LogBucket ?? null,
    logKey: fields.LogKey ?? null,
    errorCount: toInteger(fields.ErrorCount, 'ErrorCount', requestId),
    signature: fields.Signature ?? null,
    signatureFileContents: fields.SignatureFileContents ?? null,
    currentManifest: fields.CurrentManifest ?? null,
    createdAt: toDate(fields.CreationDate, 'CreationDate', requestId),
    artifacts,
  };
}

/** An enum the model fixes; a value it does not know is kept and reported, not an error. */
function toJobType(
  value: string | undefined,
  onUnknownValue: UnknownValueReporter | undefined,
): ImportExportJobType | UnknownValue | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed !== 'Import' && trimmed !== 'Export') {
    onUnknownValue?.('ImportExportJob.jobType', trimmed);
  }
  return trimmed;
}

function toBoolean(value: string | undefined, field: string, requestId?: string): boolean | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  throw badResponse(`${field} is not a boolean`, requestId);
}

function toInteger(value: string | undefined, field: string, requestId?: string): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (!INTEGER.test(trimmed)) throw badResponse(`${field} is not an integer`, requestId);
  const number = Number(trimmed);
  if (!Number.isSafeInteger(number)) throw badResponse(`${field} is out of range`, requestId);
  return number;
}

const INTEGER = /^-?\d{1,16}$/;

/**
 * ISO-8601 date-times as the model's timestamps are written (`2010-02-05T19:17:38Z`), with or
 * without fractional seconds, `Z` or a numeric offset. Anything looser (a date alone, a time
 * without a zone) is refused: `Date.parse` would read it in the local time zone.
 */
function toDate(value: string | undefined, field: string, requestId?: string): Date | null {
  if (value === undefined) return null;
  const match = ISO_8601.exec(value.trim());
  const time = match
    ? Date.parse(`${match[1]?.toUpperCase()}${match[3] ?? ''}${withColon(match[4])}`)
    : Number.NaN;
  if (Number.isNaN(time)) throw badResponse(`${field} is not an ISO-8601 date-time`, requestId);
  return new Date(time);
}

const ISO_8601 =
  /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})((\.\d{1,3})\d*)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** `Date.parse` reads `+0100` inconsistently; `+01:00` and `Z` it reads everywhere. */
function withColon(zone: string | undefined): string {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

export function badResponse(detail: string, requestId?: string): UpstreamError {
  return new UpstreamError('UPSTREAM_BAD_RESPONSE', 'IMPORT_EXPORT', {
    requestId,
    cause: new Error(detail),
  });
}
