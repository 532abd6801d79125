/**
 * A workspace: the APIs Flowgate serves (a directory with `flowgate.json` or `flowgate.yaml`,
 * validated by schemas/workspace.schema.json). Data only; loading is in load.ts.
 */

/** Where a secret is read from (never the workspace file itself). */
export type SecretSource =
  | { env: string }
  | { file: string }
  | { keyring: { service: string; account: string } };

/** A scheme written in the workspace for a document that declares none (GitHub's). */
export interface InlineScheme {
  type: 'http' | 'apiKey' | 'oauth2';
  scheme?: 'bearer' | 'basic';
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  tokenUrl?: string;
}

/** One credential of a service, as written. */
export interface CredentialConfig {
  /** A name from the document's `components.securitySchemes`, or an inline scheme. */
  scheme?: string | InlineScheme;
  /** A parameter (or form field) of the document that carries the credential (Slack's `token`). */
  parameter?: string;
  /** Basic authentication's user name (the secret is then the password). */
  username?: string;
  /** OAuth 2 client credentials: the client id. */
  clientId?: string | SecretSource;
  scopes?: string[];
  secret: SecretSource;
}

export interface ServiceConfig {
  openapi: string;
  baseUrl?: string;
  overlays?: string[];
  credentials?: CredentialConfig[];
}

/** `flowgate.json` as written. */
export interface WorkspaceDocument {
  $schema?: string;
  name?: string;
  policy?: string;
  services: Record<string, ServiceConfig>;
}

/** A service of a loaded workspace, paths made absolute. */
export interface WorkspaceService {
  name: string;
  /** The OpenAPI document's absolute path. */
  document: string;
  baseUrl?: string;
  /** Absolute paths of its overlays, in order. */
  overlays: string[];
  credentials: CredentialConfig[];
}

/** A loaded workspace. */
export interface Workspace {
  name: string;
  /** The directory (absolute). */
  dir: string;
  /** The workspace file (absolute). */
  file: string;
  /** The default policy: an absolute file path or a policy name. */
  policy?: string;
  services: WorkspaceService[];
}

/** A workspace file that cannot be used: the file, the JSON pointer of the problem, and what is wrong. */
export class WorkspaceError extends Error {
  readonly file: string;
  readonly pointer: string;
  constructor(file: string, pointer: string, message: string) {
    super(`${file}${pointer ? ` at ${pointer}` : ''}: ${message}`);
    this.name = 'WorkspaceError';
    this.file = file;
    this.pointer = pointer;
  }
}
