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

/**
 * How requests prove who sends them: a document's `components.securitySchemes` entry, or a
 * scheme a workspace declares for a document that has none. The secret itself is never part
 * of the catalog: the host adds it to the request.
 */
export interface SecurityScheme {
  /** Its key in `components.securitySchemes` (or the workspace's name for it). */
  name: string;
  type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  /** For `http`: `bearer`, `basic`… (lower-cased). */
  scheme?: string;
  /** For `apiKey`: where the key goes, and under which name. */
  in?: 'header' | 'query' | 'cookie';
  paramName?: string;
  /** For `oauth2`: the client-credentials flow's token URL, when the document gives one. */
  tokenUrl?: string;
  description?: string;
}

/** A parameter the document declares but the host fills (a credential), hidden from programs. */
export interface CredentialParam {
  name: string;
  in: ParamLocation | 'cookie';
}

/** `x-flowgate-approval`. */
export type ApprovalMark = { kind: 'always' } | { kind: 'when'; when: string };

export interface Operation {
  /** `service.operationId`, e.g. `slack.postMessage`. */
  id: string;
  service: string;
  /**
   * The method name programs call: the operationId when it is an identifier, else derived from
   * it (`meta/root` → `metaRoot`; see `methodName` in naming.ts).
   */
  name: string;
  /** The operationId as the document writes it, when it differs from `name`. */
  operationId?: string;
  /** Verb checked against `permissions`: `x-flowgate-verb` or derived from the HTTP method. */
  verb: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template from the document, e.g. `/accounts/{accountId}`. */
  path: string;
  /** Logical host checked against `egress`, from `servers[0].url`. */
  host: string;
  /** `servers[0].url` with its variables at their defaults. */
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
  /**
   * Set when the document says nothing Flowgate-specific about this operation (no
   * `x-flowgate-*` on it, its arguments or its response): it then carries the safe defaults
   * (its response is labelled `<service>.data`), and the policy lint lists it.
   */
  unannotated?: boolean;
  /** How the request body is encoded: JSON (default) or `application/x-www-form-urlencoded`. */
  bodyEncoding?: 'json' | 'form';
  /**
   * The document's security requirement for this operation: alternatives (one suffices), each
   * the names of schemes all needed, from `Service.securitySchemes`. `[]`: none. Absent: not said.
   */
  security?: string[][];
  /** Parameters that carry a credential (Slack's `token`): the host fills them; not in `params`. */
  credentialParams?: CredentialParam[];
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
  /** The document's security schemes by name (`components.securitySchemes`). */
  securitySchemes?: Record<string, SecurityScheme>;
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
