/**
 * How requests authenticate, read from a document's `components.securitySchemes` and the
 * `security` requirements of the document and each operation. Credentials themselves never
 * come from documents: the host adds them (see core/workspace), and the parameters a document
 * uses to carry them are hidden from programs.
 */
import type { Param, SecurityScheme } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const TYPES = new Set<SecurityScheme['type']>(['http', 'apiKey', 'oauth2', 'openIdConnect', 'mutualTLS']);

/** The document's security schemes by name (unknown types are skipped: nothing can fill them). */
export function securitySchemesOf(doc: Obj): Record<string, SecurityScheme> {
  const components = isObj(doc.components) ? doc.components : {};
  const raw = isObj(components.securitySchemes) ? components.securitySchemes : {};
  const out: Record<string, SecurityScheme> = {};
  for (const [name, s] of Object.entries(raw)) {
    if (!isObj(s) || !TYPES.has(s.type as SecurityScheme['type'])) continue;
    const scheme: SecurityScheme = { name, type: s.type as SecurityScheme['type'] };
    if (typeof s.scheme === 'string') scheme.scheme = s.scheme.toLowerCase();
    if (s.in === 'header' || s.in === 'query' || s.in === 'cookie') scheme.in = s.in;
    if (typeof s.name === 'string') scheme.paramName = s.name;
    if (typeof s.description === 'string') scheme.description = s.description;
    const flows = isObj(s.flows) ? s.flows : {};
    const cc = isObj(flows.clientCredentials) ? flows.clientCredentials : undefined;
    if (cc && typeof cc.tokenUrl === 'string') scheme.tokenUrl = cc.tokenUrl;
    out[name] = scheme;
  }
  return out;
}

/**
 * An operation's requirement: alternatives (any one suffices), each a set of scheme names
 * (all needed). The operation's own `security` wins over the document's; `[]` means none.
 */
export function securityOf(op: Obj, doc: Obj): string[][] | undefined {
  const raw = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : undefined;
  if (!raw) return undefined;
  return raw.filter(isObj).map((alt) => Object.keys(alt));
}

/**
 * Whether a parameter a document declares is really a credential the host fills: it is named
 * in `hidden` (a workspace's credential parameters, e.g. Slack's `token`), or it is where one
 * of the document's apiKey schemes puts its key, or it is an `Authorization` header.
 */
export function isCredentialParam(param: Pick<Param, 'name' | 'in'>, schemes: Record<string, SecurityScheme>, hidden: ReadonlySet<string>): boolean {
  if (hidden.has(param.name)) return true;
  if (param.in === 'header' && param.name.toLowerCase() === 'authorization') return true;
  return Object.values(schemes).some((s) => s.type === 'apiKey' && s.paramName !== undefined && s.in === param.in
    && (s.in === 'header' ? s.paramName.toLowerCase() === param.name.toLowerCase() : s.paramName === param.name));
}
