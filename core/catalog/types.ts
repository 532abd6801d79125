/**
 * The catalog's data model: what Flowgate knows about the APIs a program may call.
 * Pure data, shared by analysis, policy, sandbox and service. No I/O here.
 */

/** A JSON Schema object as found in an OpenAPI 3.1 document (refs already resolved). */
export type JsonSchema = Record<string, unknown>;

/** Where a parameter travels in the HTTP request. */
export type ParamLocation = 'path' | 'query' | 'header' | 'body';

/**
 * `x-flowgate-destination`: destination class → glob patterns over the argument's value,
 * in document order; the first class with a matching pattern wins.
 * Example: `[{ destination: 'slack.public', patterns: ['#general', '#random'] }, …]`.
 */
export interface DestinationRule {
  destination: string;
  patterns: string[];
}

/** One named argument of an operation (programs pass all arguments in one object). */
export interface Param {
  name: string;
  in: ParamLocation;
  required: boolean;
  schema: JsonSchema;
  description?: string;
  /** Present when a value of this argument names a destination (a sink target). */
  destination?: DestinationRule[];
  /**
   * `x-flowgate-role`: the argument chooses a recipient, a URL or an amount (or a destination
   * without classes). Untrusted data reaching such an argument is an integrity question.
   */
  role?: 'destination' | 'recipient' | 'url' | 'amount';
  /**
   * Set when the JSON request body is not an object with named properties: this one argument
   * (named `body`) is then the whole body. Otherwise each body property is its own argument.
   */
  wholeBody?: boolean;
}

/** Labels carried by one field of the response, addressed by a path from the response root. */
export interface FieldLabel {
  /** Property names from the response root; `'[]'` steps into array items. E.g. `['contacts', '[]', 'email']`. */
  path: string[];
  /**
   * Labels declared on this field plus those of labelled ancestor fields (the operation's own
   * labels are not repeated). A value read at a deeper path also carries these: use
   * `labelsAt(op, path)` from `core/catalog` rather than matching paths by hand.
   */
  labels: string[];
}

/** `x-flowgate-approval`. */
export type ApprovalMark = { kind: 'always' } | { kind: 'when'; when: string };

export interface Operation {
  /** `service.operationId`, e.g. `slack.postMessage`. */
  id: string;
  service: string;
  /** The operationId, the method name programs call. */
  name: string;
  /** Verb checked against `permissions`: `x-flowgate-verb` or derived from the HTTP method. */
  verb: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template from the document, e.g. `/accounts/{accountId}`. */
  path: string;
  /** Logical host checked against `egress`, from `servers[0].url`. */
  host: string;
  /** `servers[0].url` as written. */
  serverUrl: string;
  summary?: string;
  description?: string;
  params: Param[];
  /** One JSON Schema (type object) validating the program's argument object. */
  argsSchema: JsonSchema;
  /** Schema of the 2xx JSON response, when documented. */
  responseSchema?: JsonSchema;
  /** `x-flowgate-labels` on the operation: carried by the whole response. */
  labels: string[];
  /** `x-flowgate-labels` on response properties (any depth). */
  fieldLabels: FieldLabel[];
  approval?: ApprovalMark;
  /** Where it was declared, for error messages: file and JSON pointer of the operation. */
  source: { file: string; pointer: string };
}

export interface Service {
  /** Name used in programs and policies (`x-flowgate-service` or derived from `info.title`). */
  name: string;
  title: string;
  version: string;
  host: string;
  serverUrl: string;
  file: string;
  operations: Operation[];
  /**
   * Named schemas (`components/schemas`, normalised like every schema in the catalog). A
   * schema that is only `{"x-flowgate-type": "Name"}` refers to `schemas[Name]` (what cycles
   * in recursive schemas become).
   */
  schemas?: Record<string, JsonSchema>;
}

export interface Catalog {
  services: Service[];
  /** By `service.operationId`. */
  operations: Map<string, Operation>;
  /** Every label any operation or field can carry. */
  labels: string[];
  /** Every destination class any argument can name, plus each service name. */
  destinations: string[];
  /** TypeScript declarations (one `declare const <service>: {…}` per service, with response types). */
  declarations: string;
}

/** A document that could not be loaded: the file and the JSON pointer of the problem. */
export class CatalogError extends Error {
  readonly file: string;
  readonly pointer: string;
  constructor(file: string, pointer: string, message: string) {
    super(`${file}${pointer ? ` at ${pointer}` : ''}: ${message}`);
    this.name = 'CatalogError';
    this.file = file;
    this.pointer = pointer;
  }
}
