/**
 * Names programs use: a service's global name and an operation's method name, derived
 * predictably from what vendors write (`meta/root`, `repos/create-for-authenticated-user`,
 * `GetCustomersCustomer`, `chat_postMessage`, titles such as "GitHub's official OpenAPI spec").
 */
import { IDENTIFIER, isServiceName } from './extensions.ts';

/** `info.title` lower-cased with non-alphanumerics removed: `"Sales Force CRM"` → `salesforcecrm` (SCENARIOS.md). */
export function serviceNameFromTitle(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Generic words of API hosts, skipped when naming a service after its host. */
const HOST_WORDS = new Set(['api', 'apis', 'www', 'rest', 'v1', 'v2', 'v3', 'com', 'org', 'net', 'io', 'dev', 'app', 'co', 'cloud']);

/** The service name a host suggests: `api.github.com` → `github`, `slack.com` → `slack`. */
export function serviceNameFromHost(host: string): string | undefined {
  const labels = host.toLowerCase().split('.');
  if (labels.length > 1) labels.pop(); // the top-level domain
  const words = labels.filter((w) => w && !HOST_WORDS.has(w) && !/^\d+$/.test(w));
  const name = (words.at(-1) ?? '').replace(/[^a-z0-9]/g, '');
  return isServiceName(name) ? name : undefined;
}

/** Longest derived title name kept before the host gives a shorter one (a sentence is not a name). */
const MAX_TITLE_NAME = 24;

/**
 * The service's name when neither `x-flowgate-service` nor a workspace gives one: the title rule
 * of SCENARIOS.md when it yields an identifier of reasonable length; otherwise (a title that is a
 * sentence, such as GitHub's "GitHub's official OpenAPI spec + Octokit extension", or one
 * without letters) the name of its host.
 */
export function derivedServiceName(title: string, host: string): string | undefined {
  const fromTitle = serviceNameFromTitle(title);
  if (isServiceName(fromTitle) && fromTitle.length <= MAX_TITLE_NAME) return fromTitle;
  return serviceNameFromHost(host) ?? (isServiceName(fromTitle) ? fromTitle : undefined);
}

/**
 * The method name programs call for an operationId: the operationId itself when it is an
 * identifier (`GetCustomersCustomer`, `chat_postMessage`, `listEmployees`); otherwise every run
 * of characters an identifier cannot hold is dropped and the letter after it upper-cased
 * (`meta/root` → `metaRoot`, `repos/create-for-authenticated-user` →
 * `reposCreateForAuthenticatedUser`, `chat.postMessage` → `chatPostMessage`); a leading digit
 * gets an underscore. Empty when nothing is left.
 */
export function methodName(operationId: string): string {
  if (IDENTIFIER.test(operationId)) return operationId;
  const parts = operationId.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  if (parts.length === 0) return '';
  const name = parts[0] + parts.slice(1).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  return /^\d/.test(name) ? `_${name}` : name;
}
