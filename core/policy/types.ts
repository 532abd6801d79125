/**
 * The policy file's shape (the seed's format plus `approvals` and `unprovenFlows`) and the
 * decisions the pure functions in this folder return. See policies/policy.schema.json.
 */

export type Verdict = 'allow' | 'needs-approval' | 'deny';

export interface DataFlowRule {
  allowedDestinations?: string[];
  blockedDestinations?: string[];
  redactInLogs?: boolean;
}

export type ApprovalRule =
  | { flow: { from: string | string[]; to: string | string[] }; when?: string; reason?: string }
  | { operation: string; when?: string; reason?: string };

/**
 * Integrity: data nobody vouches for (inbound messages, web pages, documents others wrote) must
 * not choose where things go, who gets them, which URL is fetched or how much is paid.
 */
export interface IntegrityRule {
  /** Labels of untrusted content (`slack.messages`, `gdrive.document`…); `service` covers all its labels. */
  untrusted: string[];
  /** What a call whose destination, recipient, URL or amount such data chose becomes. Default needs-approval. */
  choices?: 'needs-approval' | 'deny';
}

/** A policy as written in the file (after schema validation). */
export interface PolicyDocument {
  permissions: Record<string, string[]>;
  dataFlows?: Record<string, DataFlowRule>;
  /**
   * A label the policy does not mention, leaving its own service: `needs-approval` (default),
   * `deny`, or `allow`. Data going back into its own service is always allowed.
   */
  defaultFlow?: 'allow' | 'needs-approval' | 'deny';
  integrity?: IntegrityRule;
  approvals?: ApprovalRule[];
  unprovenFlows?: 'needs-approval' | 'deny';
  egress: string[];
  auditLog?: boolean;
  maxDuration?: string | number;
  maxMemory?: string | number;
  maxApiCalls?: number;
}

/** A loaded policy: the document plus normalised limits. */
export interface Policy {
  name: string;
  document: PolicyDocument;
  limits: Limits;
}

export interface Limits {
  /** Wall clock, milliseconds. Default 30 000. */
  maxDurationMs: number;
  /** Isolate heap, megabytes. Default 128. */
  maxMemoryMb: number;
  /** API calls per run. Default 50. */
  maxApiCalls: number;
}

export const DEFAULT_LIMITS: Limits = { maxDurationMs: 30_000, maxMemoryMb: 128, maxApiCalls: 50 };

/** A finding of the policy lint (e.g. a permitted service whose host is not in egress). */
export interface LintFinding {
  /** `info`: what the policy implies that a reader may not see at once (e.g. defaultFlow at work). */
  severity: 'warning' | 'error' | 'info';
  code: string;
  message: string;
  /** JSON pointer into the policy file. */
  pointer: string;
}

/** One decision with a machine code and a sentence a reviewer can read. */
export interface Decision {
  verdict: Verdict;
  code: string;
  message: string;
  label?: string;
  destination?: string;
  /** The approval rule's reason, when an approval rule matched. */
  approvalReason?: string;
}

/** A policy file that could not be loaded: the file and the JSON pointer of the bad field. */
export class PolicyError extends Error {
  readonly file: string;
  readonly pointer: string;
  /** The sentence without the file and pointer prefix. */
  readonly detail: string;
  /** 1-based position in the file, when known (JSON syntax errors). */
  readonly line?: number;
  readonly column?: number;
  constructor(file: string, pointer: string, message: string, position?: { line: number; column: number }) {
    super(`${file}${pointer ? ` at ${pointer}` : ''}: ${message}`);
    this.name = 'PolicyError';
    this.file = file;
    this.pointer = pointer;
    this.detail = message;
    this.line = position?.line;
    this.column = position?.column;
  }
}
