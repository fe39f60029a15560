import { XMLParser } from 'fast-xml-parser';

/**
 * The one XML parser configuration of the project, and the only code that looks at parsed XML.
 * It turns an Import/Export answer into small typed shapes whose leaves are the raw strings of the
 * wire; mappers.ts converts those. The defaults of fast-xml-parser are wrong for this service:
 *  - a list with one `<member>` would become an object, so `member` is always an array;
 *  - `00123` would become the number 123, so values are never coerced (`parseTagValue: false`);
 *  - the documentation and the model disagree on the namespace, so prefixes and `xmlns` are ignored;
 *  - DOCTYPE entity expansion is a denial-of-service vector and the service never needs it, so
 *    entity processing is off and only XML's own escapes (`&amp;`, `&#38;`, ...) are decoded here.
 * `jPath: false` keeps the parser from building a path string for every element, which is most of
 * its avoidable cost; `isArray` then decides on the tag name alone, which is exact here because
 * the query protocol uses `member` for list items and for nothing else.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Values keep surrounding whitespace (a manifest's trailing newline is data); the whitespace of
  // pretty-printed markup becomes `#text` beside child elements, which the readers below ignore.
  trimValues: false,
  jPath: false,
  isArray: (tagName: string) => tagName === 'member',
  tagValueProcessor: (_tagName: string, value: string) =>
    value.indexOf('&') === -1 ? undefined : decodeXmlEscapes(value),
});

/** A document that is not XML, is cut short, or lacks what the operation must answer. */
export class XmlShapeError extends Error {
  override readonly name = 'XmlShapeError';
}

type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
  [name: string]: XmlValue | undefined;
}

export interface XmlErrorResponse {
  readonly kind: 'error';
  /** `Error/Code`; the `Message` is deliberately not read: upstream text never leaves here. */
  readonly code: string | undefined;
  /** `Error/Type`: `Sender` or `Receiver`. */
  readonly type: string | undefined;
  readonly requestId: string | undefined;
}

export interface XmlJobMember {
  readonly JobId: string | undefined;
  readonly JobType: string | undefined;
  readonly CreationDate: string | undefined;
  readonly IsCanceled: string | undefined;
}

export interface XmlListJobsResponse {
  readonly kind: 'ListJobs';
  readonly jobs: readonly XmlJobMember[];
  /** Raw text of `IsTruncated`, wherever the answer put it; undefined when absent. */
  readonly isTruncated: string | undefined;
  readonly requestId: string | undefined;
}

export const GET_STATUS_FIELDS = [
  'JobId',
  'JobType',
  'LocationCode',
  'LocationMessage',
  'ProgressCode',
  'ProgressMessage',
  'Carrier',
  'TrackingNumber',
  'LogBucket',
  'LogKey',
  'ErrorCount',
  'Signature',
  'SignatureFileContents',
  'CurrentManifest',
  'CreationDate',
] as const;
export type GetStatusField = (typeof GET_STATUS_FIELDS)[number];

export interface XmlArtifact {
  readonly Description: string | undefined;
  readonly URL: string | undefined;
}

export interface XmlGetStatusResponse {
  readonly kind: 'GetStatus';
  readonly fields: Readonly<Record<GetStatusField, string | undefined>>;
  readonly artifacts: readonly XmlArtifact[];
  readonly requestId: string | undefined;
}

/** A ListJobs answer, or the ErrorResponse a server may send in its place. */
export function readListJobsResponse(body: string): XmlListJobsResponse | XmlErrorResponse {
  const { name, root } = parseDocument(body);
  if (name === 'ErrorResponse') return errorResponse(root);
  if (name !== 'ListJobsResponse') throw new XmlShapeError(`unexpected root element ${name}`);
  const result = requiredObject(root, 'ListJobsResult');
  const jobsElement = optionalObject(result, 'Jobs');
  const members = jobsElement ? list(jobsElement) : [];
  const jobs: XmlJobMember[] = new Array(members.length);
  for (let i = 0; i < members.length; i++) {
    const member = asObject(members[i], 'Jobs/member');
    jobs[i] = {
      JobId: text(member, 'JobId'),
      JobType: text(member, 'JobType'),
      CreationDate: text(member, 'CreationDate'),
      IsCanceled: text(member, 'IsCanceled'),
    };
  }
  // The model puts IsTruncated beside Jobs; the developer guide shows it inside Jobs (and once
  // under Jobs/member). Whichever a server sends, it is found.
  let isTruncated = text(result, 'IsTruncated');
  if (isTruncated === undefined && jobsElement) isTruncated = text(jobsElement, 'IsTruncated');
  if (isTruncated === undefined && members.length > 0) {
    isTruncated = text(asObject(members[members.length - 1], 'Jobs/member'), 'IsTruncated');
  }
  return { kind: 'ListJobs', jobs, isTruncated, requestId: responseRequestId(root) };
}

/** A GetStatus answer, or the ErrorResponse a server may send in its place. */
export function readGetStatusResponse(body: string): XmlGetStatusResponse | XmlErrorResponse {
  const { name, root } = parseDocument(body);
  if (name === 'ErrorResponse') return errorResponse(root);
  if (name !== 'GetStatusResponse') throw new XmlShapeError(`unexpected root element ${name}`);
  const result = requiredObject(root, 'GetStatusResult');
  const fields = {} as Record<GetStatusField, string | undefined>;
  for (const field of GET_STATUS_FIELDS) fields[field] = text(result, field);
  const artifactList = optionalObject(result, 'ArtifactList');
  const artifacts = artifactList
    ? list(artifactList).map((member) => {
        const artifact = asObject(member, 'ArtifactList/member');
        return { Description: text(artifact, 'Description'), URL: text(artifact, 'URL') };
      })
    : [];
  return { kind: 'GetStatus', fields, artifacts, requestId: responseRequestId(root) };
}

/**
 * The error of a non-2xx answer, or undefined when the body is not a query-protocol
 * ErrorResponse (an HTML page from a proxy, an empty body, a cut-off document).
 */
export function readErrorResponse(body: string): XmlErrorResponse | undefined {
  if (body.length === 0) return undefined;
  try {
    const { name, root } = parseDocument(body);
    return name === 'ErrorResponse' ? errorResponse(root) : undefined;
  } catch (error) {
    if (error instanceof XmlShapeError) return undefined;
    throw error;
  }
}

function errorResponse(root: XmlObject): XmlErrorResponse {
  // botocore accepts `<ErrorResponse><Errors><Error>` as well as the documented
  // `<ErrorResponse><Error>`; RequestId is a sibling of Error at the top level.
  let error = child(root, 'Error');
  if (error === undefined) {
    const errors = optionalObject(root, 'Errors');
    error = errors ? child(errors, 'Error') : undefined;
  }
  if (Array.isArray(error)) error = error[0];
  if (error === undefined || typeof error === 'string' || Array.isArray(error)) {
    return { kind: 'error', code: undefined, type: undefined, requestId: text(root, 'RequestId') };
  }
  return {
    kind: 'error',
    code: nonEmpty(text(error, 'Code')),
    type: nonEmpty(text(error, 'Type')),
    requestId: nonEmpty(text(root, 'RequestId')) ?? nonEmpty(text(error, 'RequestId')),
  };
}

function responseRequestId(root: XmlObject): string | undefined {
  const metadata = optionalObject(root, 'ResponseMetadata');
  return nonEmpty(metadata ? text(metadata, 'RequestId') : text(root, 'RequestId'));
}

function parseDocument(body: string): { name: string; root: XmlObject } {
  let document: XmlObject;
  try {
    document = parser.parse(body) as XmlObject;
  } catch (error) {
    throw new XmlShapeError('not well-formed XML', { cause: error });
  }
  let name: string | undefined;
  for (const key in document) {
    if (key === '#text') continue;
    if (name !== undefined) throw new XmlShapeError('more than one root element');
    name = key;
  }
  if (name === undefined) throw new XmlShapeError('no root element');
  // The parser is lenient and returns whatever it read from a document cut short, which would
  // silently drop jobs: the last tag of the text must close the root element.
  if (!closesRoot(body, name)) throw new XmlShapeError('document is incomplete');
  const value = document[name];
  if (value === undefined || Array.isArray(value)) throw new XmlShapeError('bad root element');
  return { name, root: typeof value === 'string' ? {} : value };
}

function closesRoot(body: string, name: string): boolean {
  let end = body.length;
  while (end > 0 && isXmlSpace(body.charCodeAt(end - 1))) end--;
  const start = body.lastIndexOf('<', end - 1);
  if (start < 0 || body.charCodeAt(end - 1) !== 62 /* > */) return false;
  const tag = body.slice(start, end);
  // `</Root>`, `</ns:Root >`, or a root that is one empty element: `<Root/>`, `<Root xmlns="..."/>`.
  return CLOSING_TAG.exec(tag)?.[1] === name || EMPTY_ROOT.exec(tag)?.[1] === name;
}

const CLOSING_TAG = /^<\/(?:[^\s:>]+:)?([^\s:>]+)\s*>$/;
const EMPTY_ROOT = /^<(?:[^\s:/>]+:)?([^\s:/>]+)(?:\s[^>]*)?\/>$/;

function isXmlSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function child(parent: XmlObject, name: string): XmlValue | undefined {
  return Object.hasOwn(parent, name) ? parent[name] : undefined;
}

/** A container element; absent, empty or whitespace-only means no children. */
function optionalObject(parent: XmlObject, name: string): XmlObject | undefined {
  const value = child(parent, name);
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    throw new XmlShapeError(`${name} has text where elements were expected`);
  }
  if (Array.isArray(value)) throw new XmlShapeError(`${name} appears more than once`);
  return value as XmlObject;
}

/** The result wrapper: absent means the answer is not what the operation returns. */
function requiredObject(parent: XmlObject, name: string): XmlObject {
  if (child(parent, name) === undefined) throw new XmlShapeError(`${name} is missing`);
  return optionalObject(parent, name) ?? {};
}

function asObject(value: XmlValue | undefined, where: string): XmlObject {
  if (value === undefined || Array.isArray(value)) throw new XmlShapeError(`bad ${where}`);
  // `<member></member>` parses as '' and is an item with no fields.
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    throw new XmlShapeError(`${where} has text where elements were expected`);
  }
  return value;
}

function list(container: XmlObject): XmlValue[] {
  const members = child(container, 'member');
  if (members === undefined) return [];
  // isArray guarantees an array for `member`; anything else means the parser config drifted.
  if (!Array.isArray(members)) throw new XmlShapeError('member is not a list');
  return members;
}

/** The text of a leaf element, unchanged; undefined when absent. `<A/>` is ''. */
function text(parent: XmlObject, name: string): string | undefined {
  const value = child(parent, name);
  if (value === undefined || typeof value === 'string') return value;
  throw new XmlShapeError(
    Array.isArray(value)
      ? `${name} appears more than once`
      : `${name} has elements where text was expected`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

const XML_ESCAPE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** The five predefined entities and character references; anything else is left as written. */
export function decodeXmlEscapes(value: string): string {
  return value.replace(
    XML_ESCAPE,
    (match, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (named !== undefined) return NAMED[named] ?? match;
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : match;
    },
  );
}
