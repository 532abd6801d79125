/**
 * From what the interpreter found to a verdict: call sites (with destinations folded from
 * constant arguments), the policy's decision per call, flows, unknowns and diagnostics as
 * reasons with source ranges. The verdict is the worst reason; a program that does not
 * type-check is `deny`; a program with constructs outside the subset is never `allow`.
 */
import ts from 'typescript';
import type { Catalog, Operation } from '../catalog/types.ts';
import { choicesOf, destinationsOf, possibleDestinations } from '../catalog/destinations.ts';
import { decideCall, decideChoice, decideFlow, serviceOf, worst } from '../policy/decide.ts';
import type { Policy, Verdict } from '../policy/types.ts';
import type { SinkRecord } from './context.ts';
import type { PositionMap } from './program.ts';
import type { State } from './state.ts';
import type { CallSite, Diagnostic, Flow, Reason } from './types.ts';
import type { Const } from './value.ts';

export interface VerdictInput {
  sinks: SinkRecord[];
  unknowns: { node: ts.Node; message: string }[];
  diagnostics: Diagnostic[];
  state: State;
  file: ts.SourceFile;
  positions: PositionMap;
  catalog: Catalog;
  policy: Policy;
}

export interface VerdictOutput {
  verdict: Verdict;
  reasons: Reason[];
  calls: CallSite[];
  flows: Flow[];
  unknowns: Reason[];
  complete: boolean;
}

export function judge(input: VerdictInput): VerdictOutput {
  const { state, positions, file, catalog, policy } = input;
  const unproven: Verdict = policy.document.unprovenFlows ?? 'needs-approval';
  const reasons: Reason[] = [];
  const calls: CallSite[] = [];
  const flows: Flow[] = [];
  const unknowns: Reason[] = input.unknowns.map(({ node, message }) => ({
    ...positions.nodeRange(node, file),
    verdict: unproven,
    code: 'unproven',
    message: `UNPROVEN: ${message}. The analysis cannot follow the data here, so it cannot prove where labelled data goes; under this policy that is "${unproven}", and at run time every API call is checked against every label the run has read.`,
  }));

  const sinks = [...input.sinks].sort((a, b) => a.node.getStart(file) - b.node.getStart(file));
  let id = 0;
  for (const sink of sinks) {
    const range = positions.nodeRange(sink.node, file);
    const labels = [...sink.labels].sort();
    const ops = [...sink.ops].map((o) => catalog.operations.get(o)).filter((o): o is Operation => !!o);
    if (ops.length !== 1 || sink.ambiguous) {
      unknowns.push({
        ...range,
        verdict: unproven,
        code: 'unproven',
        message: `UNPROVEN: ${sink.ambiguous ?? 'this call cannot be tied to one API operation'}; the reviewer must check where it sends ${labels.length ? labels.join(', ') : 'its data'}.`,
      });
      for (const op of ops) {
        const decision = decideCall(policy, op, { labels, destinations: 'unknown', possibleDestinations: possibleDestinations(op) });
        for (const d of decision.decisions) reasons.push({ ...range, ...d, operation: op.id });
      }
      continue;
    }
    const op = ops[0];
    const { destinations, constArgs } = foldArguments(state, op, sink);
    const site: CallSite = { ...range, id: ++id, service: op.service, operation: op.name, destinations, labels, constArgs };
    calls.push(site);
    const decision = decideCall(policy, op, {
      labels,
      destinations,
      possibleDestinations: destinations === 'unknown' ? possibleDestinations(op) : undefined,
      args: constArgs,
    });
    for (const d of decision.decisions) {
      reasons.push({ ...range, verdict: d.verdict, code: d.code, message: d.message, label: d.label, destination: d.destination, operation: op.id });
    }
    // Integrity, per argument: untrusted data reaching an argument that chooses.
    for (const [name, choice] of choicesOf(op)) {
      const reaching = new Set([...state.deepLabels(state.readProp(sink.arg, name)), ...sink.control]);
      for (const label of reaching) {
        const d = decideChoice(policy, label, op, name, choice);
        if (d) reasons.push({ ...range, verdict: d.verdict, code: d.code, message: d.message, label: d.label, destination: d.destination, operation: op.id });
      }
    }
    for (const label of labels) {
      // Data going back to the service it came from is listed only when the policy objects.
      const home = serviceOf(label) === op.service;
      if (destinations === 'unknown') {
        if (home && decision.verdict === 'allow') continue;
        flows.push({ ...range, label, destination: 'unknown', siteId: site.id, verdict: decision.verdict === 'allow' ? 'allow' : worst(decision.verdict) });
        continue;
      }
      const d = decideFlow(policy, label, destinations, constArgs);
      if (home && d.verdict === 'allow') continue;
      flows.push({ ...range, label, destination: d.destination ?? mostSpecific(destinations), siteId: site.id, verdict: d.verdict });
    }
  }

  for (const d of input.diagnostics) {
    if (!d.blocking) continue;
    reasons.push({ ...rangeOf(d), verdict: 'deny', code: 'diagnostic', message: `does not type-check against the current API: ${d.message}` });
  }
  reasons.push(...unknowns);
  reasons.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
  // One construct can be reached on several paths (or several times on the way to the fixed
  // point); the reviewer needs to read each reason once.
  const seen = new Set<string>();
  const unique = reasons.filter((r) => {
    const key = `${r.start}:${r.end}:${r.code}:${r.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  const verdict = worst(...unique.map((r) => r.verdict));
  return { verdict, reasons: unique, calls, flows, unknowns, complete: unknowns.length === 0 };
}

function rangeOf(d: Diagnostic) {
  return { line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, start: d.start, end: d.end };
}

function mostSpecific(ds: string[]): string {
  return [...ds].sort((a, b) => b.split('.').length - a.split('.').length || b.length - a.length)[0];
}

const MAX_COMBOS = 16;

/** Destinations from the destination arguments' constants; the constant arguments by name. */
function foldArguments(state: State, op: Operation, sink: SinkRecord): { destinations: string[] | 'unknown'; constArgs: Record<string, unknown> } {
  const constArgs: Record<string, unknown> = {};
  const choices: Record<string, Const[]> = {};
  let unknown = false;
  for (const p of op.params) {
    const v = state.readProp(sink.arg, p.name);
    const primitive = v.objs.size === 0 && v.resp.size === 0 && v.fns.size === 0;
    const consts = primitive && v.consts !== null ? [...v.consts] : null;
    if (consts && consts.length === 1) constArgs[p.name] = consts[0];
    if (p.destination) {
      if (!consts) unknown = true;
      else choices[p.name] = consts.length ? consts : [undefined];
    }
  }
  if (unknown) return { destinations: 'unknown', constArgs };
  let combos: Record<string, unknown>[] = [{ ...constArgs }];
  for (const [name, values] of Object.entries(choices)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
    if (combos.length > MAX_COMBOS) return { destinations: 'unknown', constArgs };
  }
  const out = new Set<string>();
  for (const c of combos) for (const d of destinationsOf(op, c)) out.add(d);
  return { destinations: [...out], constArgs };
}
