import { XMLParser } from 'fast-xml-parser';

/**
 * The one XML parser configuration of the project, and the only code that looks at parsed XML.
 * It turns an Import/Export answer into small typed shapes whose leaves are the raw strings of the
 * wire; mappers.ts converts those. The defaults of fast-xml-parser are wrong for this service:
 *  - a list with one `<member>` becomes an object instead of a list. Here the parser keeps
 *    document order (`preserveOrder`): every element's children are an array, one element or many,
 *    and the readers below walk them. That also skips the parser's object-building pass, about a
 *    sixth of its time, and parsing is the dominant CPU cost of this upstream;
 *  - `00123` would become the number 123, so values are never coerced (`parseTagValue: false`);
 *  - the documentation and the model disagree on the namespace, so prefixes and `xmlns` are ignored;
 *  - DOCTYPE entity expansion is a denial-of-service vector and the service never needs it, so
 *    entity processing is off and only XML's own escapes (`&amp;`, `&#38;`, ...) are decoded here.
 * `jPath: false` keeps the parser from building a path string for every element.
 */
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Values keep surrounding whitespace (a manifest's trailing newline is data); the whitespace of
  // pretty-printed markup becomes text nodes between elements, which the readers skip.
  trimValues: false,
  jPath: false,
  // Returning undefined keeps the text as it is, and skips the parser's own value conversion.
  tagValueProcessor: (_tagName: string, value: string) =>
    value.indexOf('&') === -1 ? undefined : decodeXmlEscapes(value),
});

/** A document that is not XML, is cut short, or lacks what the operation must answer. */
export class XmlShapeError extends Error {
  override readonly name = 'XmlShapeError';
}

/** The parser's ordered output: `{ Tag: children }` for an element, `{ '#text': text }` for text. */
interface OrderedNode {
  readonly [name: string]: readonly OrderedNode[] | string;
}
type Children = readonly OrderedNode[];

export interface XmlErrorResponse {
  readonly kind: 'error';
  /** `Error/Code`; the `Message` is deliberately not read: upstream text never leaves here. */
  readonly code: string | undefined;
  /** `Error/Type`: `Sender` or `Receiver`. */
  readonly type: string | undefined;
  readonly requestId: string | undefined;
}

export interface XmlJobMember {
  readonly JobId?: string;
  readonly JobType?: string;
  readonly CreationDate?: string;
  readonly IsCanceled?: string;
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
  readonly Description?: string;
  readonly URL?: string;
}

export interface XmlGetStatusResponse {
  readonly kind: 'GetStatus';
  readonly fields: Readonly<Partial<Record<GetStatusField, string>>>;
  readonly artifacts: readonly XmlArtifact[];
  readonly requestId: string | undefined;
}

const JOB_FIELDS: ReadonlySet<string> = new Set([
  'JobId',
  'JobType',
  'CreationDate',
  'IsCanceled',
  'IsTruncated',
]);
const STATUS_FIELDS: ReadonlySet<string> = new Set(GET_STATUS_FIELDS);
const ARTIFACT_FIELDS: ReadonlySet<string> = new Set(['Description', 'URL']);
const ERROR_FIELDS: ReadonlySet<string> = new Set(['Code', 'Type', 'RequestId']);
const REQUEST_ID: ReadonlySet<string> = new Set(['RequestId']);
const TRUNCATED: ReadonlySet<string> = new Set(['IsTruncated']);

/** A ListJobs answer, or the ErrorResponse a server may send in its place. */
export function readListJobsResponse(body: string): XmlListJobsResponse | XmlErrorResponse {
  const root = parseDocument(body);
  if (root.name === 'ErrorResponse') return errorResponse(root.children);
  if (root.name !== 'ListJobsResponse') {
    throw new XmlShapeError(`unexpected root element ${root.name}`);
  }
  const { result, requestId } = resultAndRequestId(root.children, 'ListJobsResult');
  const jobs: XmlJobMember[] = [];
  // The model puts IsTruncated beside Jobs; the developer guide shows it inside Jobs (and once
  // under Jobs/member). Whichever a server sends, it is found.
  let memberTruncated: string | undefined;
  let jobsTruncated: string | undefined;
  const { IsTruncated } = leaves(result, TRUNCATED, (name, jobsChildren) => {
    if (name !== 'Jobs') return;
    ({ IsTruncated: jobsTruncated } = leaves(jobsChildren, TRUNCATED, (item, fields) => {
      if (item !== 'member') return;
      const job = leaves<keyof XmlJobMember | 'IsTruncated'>(fields, JOB_FIELDS);
      if (job.IsTruncated !== undefined) memberTruncated = job.IsTruncated;
      jobs.push(job);
    }));
  });
  return {
    kind: 'ListJobs',
    jobs,
    isTruncated: IsTruncated ?? jobsTruncated ?? memberTruncated,
    requestId,
  };
}

/** A GetStatus answer, or the ErrorResponse a server may send in its place. */
export function readGetStatusResponse(body: string): XmlGetStatusResponse | XmlErrorResponse {
  const root = parseDocument(body);
  if (root.name === 'ErrorResponse') return errorResponse(root.children);
  if (root.name !== 'GetStatusResponse') {
    throw new XmlShapeError(`unexpected root element ${root.name}`);
  }
  const { result, requestId } = resultAndRequestId(root.children, 'GetStatusResult');
  const artifacts: XmlArtifact[] = [];
  const fields = leaves<GetStatusField>(result, STATUS_FIELDS, (name, list) => {
    if (name !== 'ArtifactList') return;
    leaves(list, EMPTY, (item, artifact) => {
      if (item === 'member') artifacts.push(leaves(artifact, ARTIFACT_FIELDS));
    });
  });
  return { kind: 'GetStatus', fields, artifacts, requestId };
}

/**
 * The error of a non-2xx answer, or undefined when the body is not a query-protocol
 * ErrorResponse (an HTML page from a proxy, an empty body, a cut-off document).
 */
export function readErrorResponse(body: string): XmlErrorResponse | undefined {
  if (body.length === 0) return undefined;
  try {
    const root = parseDocument(body);
    return root.name === 'ErrorResponse' ? errorResponse(root.children) : undefined;
  } catch (error) {
    if (error instanceof XmlShapeError) return undefined;
    throw error;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function errorResponse(children: Children): XmlErrorResponse {
  // The documented shape is `<ErrorResponse><Error>` with RequestId beside Error; botocore also
  // accepts an `<Errors>` wrapper, so it is unwrapped too. The first Error wins.
  let error: Partial<Record<string, string>> | undefined;
  const readError = (name: string, fields: Children) => {
    if (name === 'Error' && error === undefined) error = leaves(fields, ERROR_FIELDS);
  };
  const top = leaves(children, REQUEST_ID, (name, fields) => {
    if (name === 'Errors') leaves(fields, EMPTY, readError);
    else readError(name, fields);
  });
  const found: Partial<Record<string, string>> = error ?? {};
  return {
    kind: 'error',
    code: nonEmpty(found.Code),
    type: nonEmpty(found.Type),
    requestId: nonEmpty(top.RequestId) ?? nonEmpty(found.RequestId),
  };
}

/** The `<XResult>` element (required) and `ResponseMetadata/RequestId` beside it. */
function resultAndRequestId(
  children: Children,
  resultName: string,
): { result: Children; requestId: string | undefined } {
  let result: Children | undefined;
  let requestId: string | undefined;
  const top = leaves(children, REQUEST_ID, (name, elementChildren) => {
    if (name === resultName) {
      if (result !== undefined) throw new XmlShapeError(`${resultName} appears more than once`);
      result = elementChildren;
    } else if (name === 'ResponseMetadata') {
      requestId = leaves(elementChildren, REQUEST_ID).RequestId;
    }
  });
  if (result === undefined) throw new XmlShapeError(`${resultName} is missing`);
  return { result, requestId: nonEmpty(requestId ?? top.RequestId) };
}

/**
 * One pass over an element's children: the text of each wanted leaf (once each), every other
 * element handed to `onElement`, unknown ones skipped (the guide lists elements the model lacks).
 * Text beside elements must be the whitespace of pretty-printing.
 */
function leaves<K extends string>(
  children: Children,
  wanted: ReadonlySet<string>,
  onElement?: (name: string, children: Children) => void,
): Partial<Record<K, string>> {
  const out: Partial<Record<string, string>> = {};
  for (const node of children) {
    for (const name in node) {
      const value = node[name] as Children | string;
      if (typeof value === 'string') {
        if (!isBlank(value)) throw new XmlShapeError('text where elements were expected');
      } else if (wanted.has(name)) {
        if (out[name] !== undefined) throw new XmlShapeError(`${name} appears more than once`);
        out[name] = textOf(value, name);
      } else if (name !== ':@') {
        onElement?.(name, value);
      }
    }
  }
  return out as Partial<Record<K, string>>;
}

/** The text of a leaf element, unchanged; `<A/>` is ''. */
function textOf(children: Children, name: string): string {
  let text = '';
  for (const node of children) {
    const value = node['#text'];
    if (typeof value !== 'string') {
      throw new XmlShapeError(`${name} has elements where text was expected`);
    }
    text += value;
  }
  return text;
}

function parseDocument(body: string): { name: string; children: Children } {
  let document: Children;
  try {
    document = parser.parse(body) as Children;
  } catch (error) {
    throw new XmlShapeError('not well-formed XML', { cause: error });
  }
  let root: { name: string; children: Children } | undefined;
  for (const node of document) {
    for (const name in node) {
      const value = node[name] as Children | string;
      if (typeof value === 'string') {
        if (!isBlank(value)) throw new XmlShapeError('text outside the root element');
      } else if (name !== ':@') {
        if (root !== undefined) throw new XmlShapeError('more than one root element');
        root = { name, children: value };
      }
    }
  }
  if (root === undefined) throw new XmlShapeError('no root element');
  // The parser is lenient and returns whatever it read from a document cut short, which would
  // silently drop jobs: the last tag of the text must close the root element.
  if (!closesRoot(body, root.name)) throw new XmlShapeError('document is incomplete');
  return root;
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

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isXmlSpace(text.charCodeAt(i))) return false;
  return true;
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
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
