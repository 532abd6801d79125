/**
 * Policy decisions: pure functions, no I/O, callable in a unit test with no setup.
 *
 * Vocabulary. A *label* is `service.dataClass` (`workday.compensation`); a *destination* is
 * `service` or `service.target` (`slack`, `slack.public`). One call has a destination *set*:
 * every call of an operation is the destination `<service>`, and a sink argument adds its class,
 * e.g. `['slack', 'slack.public']`. An entry `E` of a destination list (allowed, blocked, an
 * approval's `to`) *matches* destination `d` when `d === E` or `d` starts with `E + '.'`, so
 * `"slack"` covers `slack.public`. A flow is named by the most specific destination of its set:
 * `workday.compensation → slack.public`.
 *
 * - **Permission** ({@link decidePermission}): allow iff `permissions[op.service]` lists
 *   `op.verb`. A service not listed is denied (default deny). Code `permission`.
 * - **Egress** ({@link decideEgress}): allow iff `op.host` is in `egress`, exactly
 *   (case-insensitive; an entry without a port also covers the host on any port), or matches a
 *   `*.example.com` entry (any subdomain, not `example.com` itself). Code `egress`.
 * - **Flow** ({@link decideFlow}), one label into one call's destination set, first rule that
 *   applies wins:
 *   (a) the label's rule has a `blockedDestinations` entry matching any destination → deny,
 *       `flow.blocked` (blocked wins over allowed);
 *   (b) the rule has `allowedDestinations`: back into the label's own service (every destination
 *       belongs to it, e.g. reading the employee a review names) → allow; else an entry matches
 *       some destination → allow, else deny `flow.not-allowed`;
 *   (c) the rule exists without `allowedDestinations` (even with only `blockedDestinations` or
 *       `redactInLogs`) → the label may flow only back into its own service (every destination
 *       of the set belongs to the label's service), else deny `flow.not-allowed`: a label the
 *       policy names as sensitive, with no allowed destinations, stays home;
 *   (d) no rule: a secret label (data class `secret`, e.g. `vault.secret`) → deny `flow.secret`
 *       (credentials flow nowhere unless the policy says where); back into its own service →
 *       allow; else `defaultFlow` (default `needs-approval`, code `flow.default`; `deny` denies
 *       with that code; `allow` allows).
 *   An allowed flow then needs approval (`approval`, with the rule's `reason` in
 *   `approvalReason`) when an `approvals` entry has a `flow` whose `from` covers the label and
 *   whose `to` matches a destination, and its `when` (if any) is true or unknown for the args.
 *   A call with an empty destination set moves nothing: allow.
 * - **Operation approval** ({@link decideOperationApproval}): `approvals` entries with
 *   `operation: 'service.operationId'` plus the operation's own `x-flowgate-approval`. A `when`
 *   is evaluated on the call's arguments (see when.ts); unknown (args not known, key missing,
 *   types that do not compare) counts as true: needs approval. A `when` that does not parse
 *   (only possible for a catalog mark; policy files are checked at load) also needs approval.
 * - **A call** ({@link decideCall}): permission + egress + each label's flow + approvals; the
 *   verdict is the worst (deny > needs-approval > allow). When the destination is `'unknown'`
 *   and labelled data reaches the call, each alternative of `possibleDestinations` is decided
 *   (the worst over the labels): all deny → deny (their reasons); all allow → allow; none deny
 *   → needs-approval (their reasons); a mix of deny and not-deny, or no alternatives at all →
 *   `unprovenFlows` (default needs-approval) with code `flow.unknown-destination`.
 *   `decisions` holds only the non-allow findings (never allows), so
 *   `verdict === worst(...decisions.map(d => d.verdict))`.
 */
import type { Operation } from '../catalog/types.ts';
import type { DataFlowRule, Decision, Policy, Verdict } from './types.ts';
import { evaluateWhen, identifiersOf, parseWhen } from './when.ts';
import type { WhenNode, WhenValue } from './when.ts';

const SEVERITY: Record<Verdict, number> = { allow: 0, 'needs-approval': 1, deny: 2 };

/** The worst of some verdicts: deny > needs-approval > allow; `allow` for none. */
export function worst(...verdicts: Verdict[]): Verdict {
  let out: Verdict = 'allow';
  for (const v of verdicts) if (SEVERITY[v] > SEVERITY[out]) out = v;
  return out;
}

/** Whether a destination-list entry covers destination `d` (`slack` covers `slack.public`). */
export function destinationMatches(entry: string, d: string): boolean {
  return d === entry || d.startsWith(entry + '.');
}

/** The service part of a label or destination (`workday` of `workday.compensation`). */
export function serviceOf(labelOrDestination: string): string {
  const i = labelOrDestination.indexOf('.');
  return i < 0 ? labelOrDestination : labelOrDestination.slice(0, i);
}

/** A label whose data class is `secret` (`vault.secret`, `aws.secret.accessKey`). */
export function isSecretLabel(label: string): boolean {
  return label.split('.')[1]?.toLowerCase() === 'secret';
}

/** Whether `host` is allowed by an egress list (see the file comment). */
export function hostAllowed(egress: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  const bare = h.replace(/:\d+$/, '');
  return egress.some((raw) => {
    const e = raw.toLowerCase();
    if (e.startsWith('*.')) {
      const suffix = e.slice(1);
      return (e.includes(':') ? h : bare).endsWith(suffix);
    }
    return e === h || (!e.includes(':') && e === bare);
  });
}

/** The most specific destination of a set (most segments, then longest), used to name a flow. */
function mostSpecific(destinations: readonly string[]): string {
  return [...destinations].sort((a, b) => b.split('.').length - a.split('.').length || b.length - a.length)[0];
}

function flowName(label: string, destination: string): string {
  return `${label} → ${destination}`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? 'nothing' : items.join(', ');
}

function asList(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}

/** Permission: may this operation's verb be used on its service? */
export function decidePermission(policy: Policy, op: Operation): Decision {
  const verbs = policy.document.permissions[op.service];
  if (verbs === undefined) {
    return {
      verdict: 'deny',
      code: 'permission',
      message: `${op.service} is not permitted under this policy (a service not listed in "permissions" is denied), so ${op.id} cannot be called`,
    };
  }
  if (!verbs.includes(op.verb)) {
    return {
      verdict: 'deny',
      code: 'permission',
      message: `${op.service} has no "${op.verb}" permission under this policy (allowed: ${list(verbs)}), so ${op.id} cannot be called`,
    };
  }
  return { verdict: 'allow', code: 'permission', message: `${op.service} permits "${op.verb}" (${op.id})` };
}

/** Egress: may the program reach this operation's host? */
export function decideEgress(policy: Policy, op: Operation): Decision {
  if (hostAllowed(policy.document.egress, op.host)) {
    return { verdict: 'allow', code: 'egress', message: `${op.host} is in egress` };
  }
  return {
    verdict: 'deny',
    code: 'egress',
    message: `${op.host} is not in this policy's egress, so ${op.id} cannot reach it (egress: ${list(policy.document.egress)})`,
  };
}

// Parsed conditions, by text. A cache of a pure function: the same text always parses the same.
const parsed = new Map<string, WhenNode | Error>();
function parseCached(text: string): WhenNode | Error {
  let r = parsed.get(text);
  if (r === undefined) {
    try {
      r = parseWhen(text);
    } catch (err) {
      r = err as Error;
    }
    parsed.set(text, r);
  }
  return r;
}

/** Evaluates a condition text; a condition that does not parse counts as unknown. */
function condition(text: string, args: Record<string, unknown> | undefined): { value: WhenValue; note: string } {
  const ast = parseCached(text);
  if (ast instanceof Error) return { value: 'unknown', note: `the condition "${text}" could not be read (${ast.message})` };
  const value = evaluateWhen(ast, args);
  const shown: string[] = [];
  const missing: string[] = [];
  for (const id of identifiersOf(ast)) {
    let cur: unknown = args;
    for (const key of id.split('.')) {
      cur = cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
    }
    // Only numbers and booleans are shown: strings may carry data the audit log must not hold.
    if (typeof cur === 'number' || typeof cur === 'boolean') shown.push(`${id} is ${cur}`);
    else if (cur === undefined) missing.push(id);
  }
  const parts = [...shown];
  if (value === 'unknown' && missing.length > 0) parts.push(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not known before running`);
  else if (value === 'unknown') parts.push('its value cannot be decided from the arguments');
  return { value, note: `when ${text}${parts.length ? ` (${parts.join('; ')})` : ''}` };
}

/**
 * Flow: may data carrying `label` go into one call whose destination set is `destinations`
 * (e.g. `['slack', 'slack.public']`)? `args` are the call's arguments, for flow approvals with
 * a `when`. Always returns a Decision (allows included).
 */
export function decideFlow(policy: Policy, label: string, destinations: string[], args?: Record<string, unknown>): Decision {
  if (destinations.length === 0) {
    return { verdict: 'allow', code: 'flow', message: `${label} reaches no destination`, label };
  }
  const target = mostSpecific(destinations);
  const rule: DataFlowRule | undefined = Object.prototype.hasOwnProperty.call(policy.document.dataFlows ?? {}, label)
    ? policy.document.dataFlows![label]
    : undefined;
  const deny = (code: string, destination: string, why: string): Decision => ({
    verdict: 'deny',
    code,
    message: `${flowName(label, destination)} is not allowed: ${why}`,
    label,
    destination,
  });

  let allowedBy: string;
  if (rule) {
    for (const entry of rule.blockedDestinations ?? []) {
      const hit = destinations.filter((d) => destinationMatches(entry, d));
      if (hit.length > 0) {
        const d = mostSpecific(hit);
        return deny('flow.blocked', d, `the policy blocks ${label} from reaching ${entry}`);
      }
    }
    const home = serviceOf(label);
    if (rule.allowedDestinations && destinations.every((d) => serviceOf(d) === home)) {
      // Data going back into the system it came from (reading an employee named in a review) is
      // not a flow out of that system; only a blocked entry above can stop it.
      allowedBy = `${label} stays within ${home}`;
    } else if (rule.allowedDestinations) {
      const entry = rule.allowedDestinations.find((e) => destinations.some((d) => destinationMatches(e, d)));
      if (entry === undefined) {
        return deny('flow.not-allowed', target, `${label} may go only to ${list(rule.allowedDestinations)}`);
      }
      allowedBy = `the policy allows ${label} to reach ${entry}`;
    } else {
      if (!destinations.every((d) => serviceOf(d) === home)) {
        const away = mostSpecific(destinations.filter((d) => serviceOf(d) !== home));
        return deny('flow.not-allowed', away, `the policy names ${label} without allowed destinations, so it may flow only back into ${home}`);
      }
      allowedBy = `${label} stays within ${home}`;
    }
  } else if (isSecretLabel(label)) {
    return deny('flow.secret', target, `${label} is a secret, and secrets flow nowhere unless the policy's dataFlows say where`);
  } else if (destinations.every((d) => serviceOf(d) === serviceOf(label))) {
    allowedBy = `${label} stays within ${serviceOf(label)}`;
  } else {
    const fallback = policy.document.defaultFlow ?? 'needs-approval';
    const away = mostSpecific(destinations.filter((d) => serviceOf(d) !== serviceOf(label)));
    if (fallback === 'deny') return deny('flow.default', away, `the policy has no rule for ${label}, and its defaultFlow is "deny"`);
    if (fallback === 'needs-approval' && !approvalRuleFor(policy, label, destinations, args)) {
      return {
        verdict: 'needs-approval',
        code: 'flow.default',
        message: `${flowName(label, away)} needs a human's approval: the policy has no rule for ${label} (defaultFlow "needs-approval")`,
        label,
        destination: away,
      };
    }
    allowedBy = `the policy has no rule for ${label} (defaultFlow "${fallback}")`;
  }

  const found = approvalRuleFor(policy, label, destinations, args);
  if (found) {
    const { rule, hit, cond } = found;
    return {
      verdict: 'needs-approval',
      code: 'approval',
      message: `${flowName(label, mostSpecific(hit))} needs a human's approval${cond ? ` ${cond.note}` : ''}${rule.reason ? `: ${rule.reason}` : ''}`,
      label,
      destination: mostSpecific(hit),
      approvalReason: rule.reason,
    };
  }
  return { verdict: 'allow', code: 'flow', message: `${flowName(label, target)} is allowed: ${allowedBy}`, label, destination: target };
}

/** The first flow approval rule covering `label` into `destinations` whose condition does not rule it out. */
function approvalRuleFor(policy: Policy, label: string, destinations: string[], args?: Record<string, unknown>) {
  for (const rule of policy.document.approvals ?? []) {
    if (!('flow' in rule)) continue;
    if (!asList(rule.flow.from).some((from) => from === label || label.startsWith(from + '.'))) continue;
    const hit = destinations.filter((d) => asList(rule.flow.to).some((to) => destinationMatches(to, d)));
    if (hit.length === 0) continue;
    const cond = rule.when === undefined ? undefined : condition(rule.when, args);
    if (cond && cond.value === false) continue;
    return { rule, hit, cond };
  }
  return undefined;
}

/** The destination that stands for the agent: a run's result and console go back to it. */
export const AGENT = 'agent';

/**
 * Whether data carrying `label` may go back to the agent in a run's result or console. The agent
 * asked for the run, so a label the policy does not restrict may; a label whose rule lists where
 * it may go must list `agent` (or not block it); a secret never goes unless a rule says so.
 * What may not go is withheld (`[WITHHELD:<label>]`), not an error.
 */
export function mayReachAgent(policy: Policy, label: string): boolean {
  const rule = Object.prototype.hasOwnProperty.call(policy.document.dataFlows ?? {}, label) ? policy.document.dataFlows![label] : undefined;
  if (!rule) return !isSecretLabel(label);
  if ((rule.blockedDestinations ?? []).some((e) => destinationMatches(e, AGENT))) return false;
  return (rule.allowedDestinations ?? []).some((e) => destinationMatches(e, AGENT));
}

/** Whether the policy counts `label` as untrusted content (`integrity.untrusted`). */
export function isUntrusted(policy: Policy, label: string): boolean {
  return (policy.document.integrity?.untrusted ?? []).some((u) => label === u || label.startsWith(u + '.'));
}

/**
 * Integrity: untrusted data reaching an argument that chooses (a destination, a recipient, a URL,
 * an amount, the record an operation changes). Returns the finding, or undefined when the label
 * is trusted. Code `integrity`.
 */
export function decideChoice(policy: Policy, label: string, op: Operation, argument: string, choice: string): Decision | undefined {
  if (!isUntrusted(policy, label)) return undefined;
  const verdict = policy.document.integrity?.choices ?? 'needs-approval';
  const what = choice === 'target' ? 'which record it changes' : choice === 'amount' ? 'the amount' : choice === 'url' ? 'the URL' : choice === 'recipient' ? 'the recipient' : 'where it goes';
  return {
    verdict,
    code: 'integrity',
    message: `untrusted ${label} data chooses ${what} of ${op.id} (argument "${argument}")${verdict === 'deny' ? ', which the policy forbids' : ': a human must confirm it'}`,
    label,
    destination: op.service,
  };
}

/**
 * Operation approval: the policy's `approvals` naming `op.id` plus the operation's own
 * `x-flowgate-approval`. Returns a needs-approval Decision (all matching rules in one message,
 * reasons joined with "; ") or undefined when no approval is needed.
 */
export function decideOperationApproval(policy: Policy, op: Operation, args: Record<string, unknown> | undefined): Decision | undefined {
  const notes: string[] = [];
  const reasons: string[] = [];
  for (const rule of policy.document.approvals ?? []) {
    if (!('operation' in rule) || rule.operation !== op.id) continue;
    const cond = rule.when === undefined ? undefined : condition(rule.when, args);
    if (cond && cond.value === false) continue;
    notes.push(cond ? cond.note : 'always, under this policy');
    if (rule.reason) reasons.push(rule.reason);
  }
  if (op.approval) {
    const cond = op.approval.kind === 'when' ? condition(op.approval.when, args) : undefined;
    if (!cond || cond.value !== false) notes.push(`${cond ? cond.note : 'always'}, by its API description`);
  }
  if (notes.length === 0) return undefined;
  const reason = reasons.length ? reasons.join('; ') : undefined;
  return {
    verdict: 'needs-approval',
    code: 'approval',
    message: `${op.id} needs a human's approval ${notes.join(' and ')}${reason ? `: ${reason}` : ''}`,
    approvalReason: reason,
  };
}

/** What is known about one call when it is decided (statically or at run time). */
export interface CallContext {
  /** Labels of the data reaching this call's arguments (at run time: every label read so far). */
  labels: string[];
  /** The call's destination set, or `'unknown'` when the analysis cannot tell. */
  destinations: string[] | 'unknown';
  /** For `'unknown'`: the destination sets the call could have (the catalog supplies them). */
  possibleDestinations?: string[][];
  /** The call's arguments as far as known (missing keys are unknown). */
  args?: Record<string, unknown>;
}

export interface CallDecision {
  verdict: Verdict;
  /** Every non-allow finding; never allows. Empty when the verdict is allow. */
  decisions: Decision[];
}

function unproven(policy: Policy, op: Operation, labels: string[], detail: string): Decision {
  const verdict = policy.document.unprovenFlows ?? 'needs-approval';
  return {
    verdict,
    code: 'flow.unknown-destination',
    message:
      `UNPROVEN FLOW: the destination of ${op.id} is not known before running, so where ${labels.join(', ')} ` +
      `${labels.length > 1 ? 'go' : 'goes'} cannot be proven. ${detail} The policy's unprovenFlows makes this "${verdict}"` +
      (verdict === 'needs-approval' ? ': check where this call sends the data before approving.' : '.'),
    label: labels[0],
  };
}

function flowsFor(policy: Policy, labels: string[], destinations: string[], args?: Record<string, unknown>): Decision[] {
  return labels.map((label) => decideFlow(policy, label, destinations, args)).filter((d) => d.verdict !== 'allow');
}

/** Decides one call: permission, egress, each label's flow and approvals; the worst wins. */
export function decideCall(policy: Policy, op: Operation, ctx: CallContext): CallDecision {
  const decisions: Decision[] = [];
  for (const d of [decidePermission(policy, op), decideEgress(policy, op)]) if (d.verdict !== 'allow') decisions.push(d);

  const labels = [...new Set(ctx.labels)];
  if (labels.length > 0) {
    if (ctx.destinations !== 'unknown') {
      decisions.push(...flowsFor(policy, labels, ctx.destinations, ctx.args));
    } else {
      const alternatives = (ctx.possibleDestinations ?? []).map((dests) => {
        const found = flowsFor(policy, labels, dests, ctx.args);
        return { dests, found, verdict: worst(...found.map((d) => d.verdict)) };
      });
      const denied = alternatives.filter((a) => a.verdict === 'deny');
      if (alternatives.length === 0) {
        decisions.push(unproven(policy, op, labels, 'The catalog lists no possible destinations for it.'));
      } else if (denied.length === alternatives.length || denied.length === 0) {
        // Every alternative agrees on deny, or none denies: their findings stand as they are.
        const seen = new Set<string>();
        for (const d of alternatives.flatMap((a) => a.found)) {
          const key = `${d.code}|${d.label}|${d.destination}`;
          if (!seen.has(key)) decisions.push(d);
          seen.add(key);
        }
      } else {
        const describe = alternatives.map((a) => `${mostSpecific(a.dests)} (${a.verdict === 'allow' ? 'allowed' : a.verdict === 'deny' ? 'denied' : 'needs approval'})`);
        decisions.push(unproven(policy, op, labels, `It could reach ${describe.join(' or ')}.`));
      }
    }
  }

  const approval = decideOperationApproval(policy, op, ctx.args);
  if (approval) decisions.push(approval);
  return { verdict: worst(...decisions.map((d) => d.verdict)), decisions };
}

