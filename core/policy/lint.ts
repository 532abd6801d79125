/**
 * Policy lint: what a policy says that the catalog makes pointless or contradictory. Pure.
 * Every finding is a warning (the policy still loads and is enforced as written) with a JSON
 * pointer into the policy file. Codes:
 *
 * - `egress.missing`     a permitted service (non-empty verbs) whose host is not in `egress`:
 *                        its calls will all be refused at the call (story 12)
 * - `service.unknown`    a permitted service (non-empty verbs) the catalog does not have
 * - `verb.unused`        a permitted verb none of the service's operations uses
 * - `egress.unused`      an egress host no catalog service uses
 * - `label.unknown`      a `dataFlows` label (or an approval's `from`) the catalog never produces
 * - `destination.unknown` a destination (rule or approval `to`) the catalog does not know
 * - `destination.both`   a destination both allowed and blocked for one label (blocked wins)
 * - `approval.unknown-operation` an approval naming an operation the catalog does not have
 * - `label.default` (info) labels a permitted operation produces that have no rule: leaving
 *                        their service follows `defaultFlow` (by default, a human approves)
 * - `integrity.unknown`  an `integrity.untrusted` entry the catalog never produces
 * - `operations.unannotated` a permitted service with operations its document (and overlays)
 *                        say nothing Flowgate-specific about: they run on safe defaults (their
 *                        results labelled `<service>.data`, every call the destination
 *                        `<service>`); one finding per service, listing them
 */
import type { Catalog } from '../catalog/types.ts';
import type { LintFinding, Policy } from './types.ts';
import { destinationMatches, hostAllowed } from './decide.ts';

function ptr(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function quoteList(items: readonly string[]): string {
  return items.map((i) => `\`${i}\``).join(', ');
}

/** How many unannotated operations a finding names before it counts the rest. */
const UNANNOTATED_LISTED = 10;

/** Lints a policy against a catalog. Findings are in the order of the policy file's fields. */
export function lintPolicy(policy: Policy, catalog: Catalog): LintFinding[] {
  const doc = policy.document;
  const findings: LintFinding[] = [];
  const warn = (code: string, pointer: string, message: string): void => {
    findings.push({ severity: 'warning', code, message, pointer });
  };
  const services = new Map(catalog.services.map((s) => [s.name, s]));
  const labels = new Set(catalog.labels);
  const destinations = new Set([...catalog.destinations, ...catalog.services.map((s) => s.name)]);
  // A destination entry is known if it names a known destination or covers one (`slack` covers `slack.public`).
  const knownDestination = (entry: string): boolean => [...destinations].some((d) => destinationMatches(entry, d));
  const knownLabel = (entry: string): boolean => labels.has(entry) || [...labels].some((l) => l.startsWith(entry + '.'));

  for (const [name, verbs] of Object.entries(doc.permissions)) {
    if (verbs.length === 0) continue;
    const service = services.get(name);
    if (!service) {
      warn('service.unknown', ptr('permissions', name), `\`${name}\` has ${quoteList(verbs)} but the catalog has no service \`${name}\` (services: ${quoteList([...services.keys()])})`);
      continue;
    }
    if (!hostAllowed(doc.egress, service.host)) {
      warn('egress.missing', ptr('permissions', name), `\`${name}\` has ${quoteList(verbs)} but \`${service.host}\` is not in \`egress\`, so every ${name} call will be refused`);
    }
    const used = new Set(service.operations.map((o) => o.verb));
    verbs.forEach((verb, i) => {
      if (!used.has(verb)) {
        warn('verb.unused', ptr('permissions', name, i), `\`${name}\` has \`${verb}\` but none of its operations uses that verb (its verbs: ${quoteList([...used].sort())})`);
      }
    });
  }

  for (const [name, verbs] of Object.entries(doc.permissions)) {
    const service = services.get(name);
    if (!service || verbs.length === 0) continue;
    const bare = service.operations.filter((o) => o.unannotated).map((o) => o.name);
    if (bare.length === 0) continue;
    const shown = bare.length > UNANNOTATED_LISTED ? `${quoteList(bare.slice(0, UNANNOTATED_LISTED))} and ${bare.length - UNANNOTATED_LISTED} more` : quoteList(bare);
    warn('operations.unannotated', ptr('permissions', name), `${bare.length} of ${service.operations.length} \`${name}\` operations have no x-flowgate annotations, so their results are labelled \`${name}.data\` and each call is the destination \`${name}\`: ${shown}. Annotate them with an overlay to say what they read and where they write`);
  }

  doc.egress.forEach((host, i) => {
    if (!catalog.services.some((s) => hostAllowed([host], s.host))) {
      warn('egress.unused', ptr('egress', i), `no service in the catalog uses \`${host}\``);
    }
  });

  for (const [label, rule] of Object.entries(doc.dataFlows ?? {})) {
    if (!knownLabel(label)) warn('label.unknown', ptr('dataFlows', label), `the catalog never produces \`${label}\`, so this rule never applies`);
    for (const key of ['allowedDestinations', 'blockedDestinations'] as const) {
      (rule[key] ?? []).forEach((d, i) => {
        if (!knownDestination(d)) warn('destination.unknown', ptr('dataFlows', label, key, i), `the catalog knows no destination \`${d}\``);
      });
    }
    (rule.allowedDestinations ?? []).forEach((d, i) => {
      const blocker = (rule.blockedDestinations ?? []).find((b) => destinationMatches(b, d));
      if (blocker !== undefined) {
        warn('destination.both', ptr('dataFlows', label, 'allowedDestinations', i), `\`${d}\` is allowed for \`${label}\` but \`${blocker}\` is blocked, and blocked wins`);
      }
    });
  }

  const produced = new Set<string>();
  for (const op of catalog.operations.values()) {
    if (!(doc.permissions[op.service] ?? []).includes(op.verb)) continue;
    for (const l of [...op.labels, ...op.fieldLabels.flatMap((f) => f.labels)]) produced.add(l);
  }
  const unruled = [...produced].filter((l) => !Object.prototype.hasOwnProperty.call(doc.dataFlows ?? {}, l) && l.split('.')[1]?.toLowerCase() !== 'secret').sort();
  if (unruled.length) {
    const mode = doc.defaultFlow ?? 'needs-approval';
    const effect = mode === 'needs-approval' ? 'needs a human\'s approval' : mode === 'deny' ? 'is denied' : 'is allowed';
    findings.push({
      severity: 'info',
      code: 'label.default',
      pointer: doc.defaultFlow ? '/defaultFlow' : '',
      message: `${quoteList(unruled)} ${unruled.length > 1 ? 'have' : 'has'} no rule in \`dataFlows\`: data carrying ${unruled.length > 1 ? 'them' : 'it'} may go back into its own service, and leaving it ${effect} (defaultFlow "${mode}")`,
    });
  }
  (doc.integrity?.untrusted ?? []).forEach((entry, i) => {
    if (!knownLabel(entry) && !services.has(entry)) warn('integrity.unknown', ptr('integrity', 'untrusted', i), `the catalog never produces \`${entry}\`, so marking it untrusted changes nothing`);
  });

  (doc.approvals ?? []).forEach((rule, i) => {
    if ('operation' in rule) {
      if (!catalog.operations.has(rule.operation)) {
        warn('approval.unknown-operation', ptr('approvals', i, 'operation'), `the catalog has no operation \`${rule.operation}\`, so this approval never applies`);
      }
      return;
    }
    const from = Array.isArray(rule.flow.from) ? rule.flow.from : [rule.flow.from];
    from.forEach((l, j) => {
      if (!knownLabel(l)) warn('label.unknown', ptr('approvals', i, 'flow', 'from', ...(Array.isArray(rule.flow.from) ? [j] : [])), `the catalog never produces \`${l}\``);
    });
    const to = Array.isArray(rule.flow.to) ? rule.flow.to : [rule.flow.to];
    to.forEach((d, j) => {
      if (!knownDestination(d)) warn('destination.unknown', ptr('approvals', i, 'flow', 'to', ...(Array.isArray(rule.flow.to) ? [j] : [])), `the catalog knows no destination \`${d}\``);
    });
  });
  return findings;
}
