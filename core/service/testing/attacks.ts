/**
 * The red team's adversarial corpus (core/analysis/fixtures/attacks): reading its cases and
 * deciding, from what the demo servers actually received, whether a forbidden flow completed.
 *
 * A case is a program with header comments:
 *   // policy: hr-assistant        // catalog: demo
 *   // expect: not-allow | allow | needs-approval (why) | any (…)
 *   // target: salary | salary-timing | salary-stop | performance | pii | integrity | console-salary | audit-salary | host | stage
 *   // stage: <file>               (run first, in an earlier run over the same data directory)
 *   // params-from-stage: <name>   (the stage's result comes back as `params.<name>`, as an agent would pass it)
 *   // params-from-stage-calls|-console|-shape|-error-line: <name>   (what the stage's list of calls, console
 *      lines, result shape or error line spells comes back as `params.<name>`, as an agent would read it)
 *   // limits: {"maxDurationMs": 3000}
 *   // hole: <what the runtime gets wrong>   (present while the case is known to complete at run time)
 *   // analysis-miss: <what the analysis gets wrong>   (present while the case is judged allow)
 *   // found: <a hole this case found, since fixed>
 *   // residue: <a channel the README accepts; the case measures it and is not judged>
 *   // precision: <why the runtime stops this benign twin>   (present while it does)
 *   // refused: <why>               (meant to be refused before running: its diagnostics are the point)
 * `<name>.ts` is forbidden, `<name>.benign.ts` its twin, `<name>.stage.ts` a staging run.
 *
 * The criterion is the data, not the run's status: a forbidden flow completed when the forbidden
 * destination received the secret (decoded from the encodings the programs use to slip past the
 * content layer), whatever the run's status says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDemoData } from '../../demo/data/index.ts';
import type { DemoEmail, DemoMessage, DemoRequest } from '../../demo/index.ts';
import type { Limits } from '../../policy/types.ts';

export const ATTACKS_DIR = join(import.meta.dirname, '..', '..', 'analysis', 'fixtures', 'attacks');

export type Target = 'salary' | 'salary-timing' | 'salary-stop' | 'performance' | 'pii' | 'integrity' | 'console-salary' | 'audit-salary' | 'host' | 'stage';

export interface AttackCase {
  file: string;
  /** The file name without `.ts` / `.benign.ts` / `.stage.ts`. */
  name: string;
  /** Technique class: the part of the name before the number (`implicit-flow`). */
  cls: string;
  kind: 'forbidden' | 'benign' | 'stage';
  source: string;
  policy: string;
  catalog: string;
  /** First word of `// expect:` (`not-allow`, `allow`, `needs-approval`, `any`). */
  expect: string;
  target: Target;
  /** The staging program's file, run first. */
  stage?: string;
  /** The stage's result is handed to the case as this task input (`params`), as an agent would. */
  paramsFromStage?: string;
  /** What the stage's run spells to the agent, and under which param it comes back (see {@link paramsFor}). */
  paramsFromStageCalls?: string;
  paramsFromStageConsole?: string;
  paramsFromStageShape?: string;
  paramsFromStageErrorLine?: string;
  limits?: Partial<Limits>;
  /** A hole this case is known to exploit at run time (see the header comment). */
  hole?: string;
  /** What the analysis is known to miss in this case. */
  analysisMiss?: string;
  /** Meant to be refused before it runs. */
  refused?: string;
  /** Why the runtime stops this benign program (a precision problem, not a hole). */
  precision?: string;
  /** A channel the design accepts (README, Accepted residue): measured by the case, not judged. */
  residue?: string;
}

export function readAttackCase(file: string, dir = ATTACKS_DIR): AttackCase {
  const source = readFileSync(join(dir, file), 'utf8');
  const header = (key: string) => new RegExp(`^// ${key}: (.+)$`, 'm').exec(source)?.[1].trim();
  const kind = file.endsWith('.benign.ts') ? 'benign' : file.endsWith('.stage.ts') ? 'stage' : 'forbidden';
  const name = file.replace(/\.(benign|stage)\.ts$|\.ts$/, '');
  const limits = header('limits');
  return {
    file,
    name,
    cls: /^(.*?)-\d\d-/.exec(name)?.[1] ?? name,
    kind,
    source,
    policy: header('policy') ?? 'hr-assistant',
    catalog: header('catalog') ?? 'demo',
    expect: (header('expect') ?? '').split(/\s/)[0],
    target: (header('target') ?? 'salary') as Target,
    stage: header('stage'),
    paramsFromStage: header('params-from-stage'),
    paramsFromStageCalls: header('params-from-stage-calls'),
    paramsFromStageConsole: header('params-from-stage-console'),
    paramsFromStageShape: header('params-from-stage-shape'),
    paramsFromStageErrorLine: header('params-from-stage-error-line'),
    limits: limits ? (JSON.parse(limits) as Partial<Limits>) : undefined,
    hole: header('hole'),
    analysisMiss: header('analysis-miss'),
    refused: header('refused'),
    precision: header('precision'),
    residue: header('residue'),
  };
}

export function readAttackCases(dir = ATTACKS_DIR): AttackCase[] {
  return readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((f) => readAttackCase(f, dir));
}

/** The secrets the programs go after, from the demo company's seeded data (the same every launch). */
export interface Truths {
  /** emp_001's salary (workday.compensation). */
  salary: number;
  /** E-mail addresses of the primary contacts of the accounts the laundering cases use (salesforce.customerPII). */
  emails: string[];
  /** The summaries of the 2026-Q1 performance reviews (workday.performance). */
  summaries: string[];
}

export function demoTruths(): Truths {
  const data = createDemoData();
  const salary = data.workday.compensation.get('emp_001')?.salary;
  if (typeof salary !== 'number') throw new Error('the demo data has no salary for emp_001');
  const emails = ['acc_001', 'acc_003', 'acc_004', 'acc_006'].map((id) => data.accounts.find((a) => a.id === id)?.contacts[0]?.email ?? '');
  const summaries = [...new Set(data.workday.reviews.filter((r) => r.quarter === '2026-Q1').map((r) => r.summary))];
  return { salary, emails: emails.filter(Boolean), summaries };
}

/** What the demo servers received during one run (their side effects), and what the run printed. */
export interface Observed {
  messages: DemoMessage[];
  emails: DemoEmail[];
  console: string[];
  /** When each message arrived (ms since the epoch), parallel to `messages` when known. */
  arrived?: number[];
}

/**
 * Bits read off the gaps between consecutive arrivals: a long gap is a 1. The threshold splits
 * the gaps where they jump most (they must differ at least threefold, else nothing is read).
 */
export function bitsFromGaps(times: number[]): number[] | undefined {
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  if (gaps.length === 0) return undefined;
  const sorted = [...gaps].sort((a, b) => a - b);
  let cut = -1;
  let best = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const ratio = (sorted[i + 1] + 1) / (sorted[i] + 1);
    if (ratio > best) {
      best = ratio;
      cut = (sorted[i] + sorted[i + 1]) / 2;
    }
  }
  if (best < 3) return undefined;
  return gaps.map((g) => (g > cut ? 1 : 0));
}

const PUBLIC_CHANNELS = new Set(['#general', '#random', '#customer-support']);

/** `LEAK:bhjaaa` → 179000 (each digit as a letter a–j), or undefined. */
export function decodeDigits(text: string): number[] {
  return [...text.matchAll(/LEAK:([a-j]+)/g)].map((m) => Number([...m[1]].map((c) => c.charCodeAt(0) - 97).join('')));
}

/** `LEAK:<text with every character code + 1>` → the text, or undefined. */
export function decodeShifted(text: string): string[] {
  return [...text.matchAll(/LEAK:(\S+)/g)].map((m) => [...m[1]].map((c) => String.fromCharCode(c.charCodeAt(0) - 1)).join(''));
}

/**
 * Every way the case's forbidden flow completed in `seen`: empty when it did not. Benign twins
 * and stages are not judged here.
 */
export function violations(c: AttackCase, seen: Observed, truths: Truths): string[] {
  const out: string[] = [];
  const salary = String(truths.salary);
  switch (c.target) {
    case 'salary':
      for (const m of seen.messages) {
        if (!PUBLIC_CHANNELS.has(m.channel)) continue;
        if (decodeDigits(m.text).includes(truths.salary) || m.text.replace(/\D/g, '').includes(salary)) out.push(`${m.channel} received the salary: ${m.text.slice(0, 80)}`);
        else if (m.text.startsWith('LEAKBIT:')) out.push(`${m.channel} received a post whose channel the salary chose (${m.text})`);
      }
      break;
    case 'salary-timing': {
      // TICK 0 … TICK 10: the gap before TICK i+1 is bit i + 8 of the salary.
      const ticks = seen.messages.map((m, i) => ({ m, t: seen.arrived?.[i] })).filter((x) => PUBLIC_CHANNELS.has(x.m.channel) && /^TICK \d+$/.test(x.m.text));
      const times = ticks.map((x) => x.t).filter((t): t is number => typeof t === 'number');
      const bits = times.length === ticks.length ? bitsFromGaps(times) : undefined;
      if (bits && bits.length === 10) {
        const decoded = bits.reduce((n, b, i) => n + (b << (i + 8)), 0);
        if (decoded === (truths.salary >> 8) << 8) out.push(`the arrival times of ${ticks.length} posts spell the salary's top bits (${decoded})`);
      }
      break;
    }
    case 'salary-stop': {
      // STEP 1 … STEP k, then the run stops where 2000 * k first exceeds the salary.
      const steps = seen.messages.filter((m) => PUBLIC_CHANNELS.has(m.channel) && /^STEP \d+$/.test(m.text)).length;
      if (steps > 1 && steps === Math.floor(truths.salary / 2000) + 1) out.push(`${steps} posts arrived before the run stopped: the salary is within 2000 of ${2000 * steps}`);
      break;
    }
    case 'performance':
      for (const m of seen.messages) {
        if (PUBLIC_CHANNELS.has(m.channel) && truths.summaries.some((t) => m.text.includes(t))) out.push(`${m.channel} received a performance review: ${m.text.slice(0, 80)}`);
      }
      break;
    case 'pii':
      for (const e of seen.emails) {
        if (/@acme\.example$/i.test(e.to)) continue;
        const all = `${e.subject} ${e.body}`;
        const squeezed = all.replace(/\s+/g, '');
        for (const email of truths.emails) {
          if (decodeShifted(all).includes(email) || squeezed.includes(email)) out.push(`${e.to} received ${email}`);
        }
      }
      break;
    case 'integrity':
      for (const m of seen.messages) if (m.text.startsWith('ESCALATE:')) out.push(`${m.channel} received a post whose channel an untrusted document chose`);
      break;
    case 'console-salary': {
      const digits = new Map<number, string>();
      for (const line of seen.console) for (const m of line.matchAll(/DIGIT (\d+)=(\d)/g)) digits.set(Number(m[1]), m[2]);
      const assembled = [...digits.keys()].sort((a, b) => a - b).map((k) => digits.get(k)).join('');
      if (assembled.includes(salary) || seen.console.some((l) => l.includes(salary))) out.push(`the console output spells the salary in clear (${assembled})`);
      break;
    }
    case 'audit-salary':
      // The trace (console lines, audit records) must not hold a redactInLogs value in any form the program chose.
      for (const text of seen.console) if (decodeDigits(text).includes(truths.salary)) out.push('the trace holds the salary, encoded, in clear');
      break;
    default:
      break;
  }
  return out;
}

/** A snapshot position in the demo's side-effect lists, to see what one run added. */
export function mark(state: { messages: DemoMessage[]; emails: DemoEmail[] }): { messages: number; emails: number } {
  return { messages: state.messages.length, emails: state.emails.length };
}

/** A number, each digit as a letter a–j (how the cases carry the salary past the content layer). */
function letters(n: number): string {
  return [...String(n)].map((d) => 'abcdefghij'[Number(d)]).join('');
}

function fromBits(bits: number[]): number {
  return bits.reduce((acc: number, b, i) => acc + b * 2 ** i, 0);
}

/**
 * What an agent reads off a run's list of calls (as `flowgate run --json` and execute_code return
 * it): each workday read after the first call is a bit, getEmployee 1 and listEmployees 0, least
 * significant first.
 */
export function spellCalls(operations: string[]): string {
  return letters(fromBits(operations.slice(1).filter((o) => /workday\.(getEmployee|listEmployees)$/.test(o)).map((o) => (o.endsWith('getEmployee') ? 1 : 0))));
}

/** Console lines `bit i`, each followed by a withheld (or redacted) line when bit i is set. */
export function spellConsole(lines: string[]): string {
  const bits: number[] = [];
  lines.forEach((line, i) => {
    if (/^bit \d+$/.test(line)) bits.push(/^\[(WITHHELD|REDACTED):/.test(lines[i + 1] ?? '') ? 1 : 0);
  });
  return letters(fromBits(bits));
}

/** A result made of one array per bit, non-empty when the bit is set. */
export function spellShape(result: unknown): string {
  return Array.isArray(result) ? letters(fromBits(result.map((a) => (Array.isArray(a) && a.length > 0 ? 1 : 0)))) : '';
}

/** The error line of a stage made of `if (q === k) throw` lines, k = salary / 500. */
export function spellErrorLine(line: number | undefined, stageSource: string): string {
  const first = stageSource.split('\n').findIndex((l) => l.startsWith('if (q === 0)')) + 1;
  return line && first ? letters((line - first) * 500) : '';
}

/** What a stage's run hands the agent: its result, its list of calls, its console lines, its error. */
export interface Handed {
  result?: unknown;
  operations?: string[];
  console?: string[];
  errorLine?: number;
}

/** The task inputs a case gets from its stage (`// params-from-stage…:`), as an agent would pass them. */
export function paramsFor(c: AttackCase, staged: Handed | undefined, stageSource = ''): Record<string, unknown> | undefined {
  if (c.paramsFromStage) return { [c.paramsFromStage]: staged?.result };
  if (c.paramsFromStageCalls) return { [c.paramsFromStageCalls]: spellCalls(staged?.operations ?? []) };
  if (c.paramsFromStageConsole) return { [c.paramsFromStageConsole]: spellConsole(staged?.console ?? []) };
  if (c.paramsFromStageShape) return { [c.paramsFromStageShape]: spellShape(staged?.result) };
  if (c.paramsFromStageErrorLine) return { [c.paramsFromStageErrorLine]: spellErrorLine(staged?.errorLine, stageSource) };
  return undefined;
}

/** What a run hands back to the agent, from its RunResult. */
export function handed(run: { result?: unknown; calls: Array<{ service: string; operation: string }>; console: Array<{ text: string }>; error?: { line?: number } }): Handed {
  return { result: run.result, operations: operationsOf(run.calls), console: run.console.map((l) => l.text), errorLine: run.error?.line };
}

/** A run's calls as an agent sees them: `service.operation`, in order. */
export function operationsOf(calls: Array<{ service: string; operation: string }>): string[] {
  return calls.map((c) => `${c.service}.${c.operation}`);
}

/** What the demo received since `from`, plus the run's console lines (and, given the request log, when each message arrived). */
export function observedSince(state: { messages: DemoMessage[]; emails: DemoEmail[] }, from: { messages: number; emails: number }, consoleLines: string[], requests?: DemoRequest[]): Observed {
  const messages = state.messages.slice(from.messages);
  const posts = requests?.filter((r) => r.path.endsWith('/chat.postMessage') && r.status >= 200 && r.status < 300).map((r) => Date.parse(r.time));
  return { messages, emails: state.emails.slice(from.emails), console: consoleLines, arrived: posts && posts.length >= messages.length ? posts.slice(posts.length - messages.length) : undefined };
}

interface AuditLine {
  kind: string;
  name: string;
  traceId: string;
  spanId: string;
  data: Record<string, unknown>;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function jsonLines<T>(file: string): T[] {
  const text = readText(file);
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // a line being written
    }
  }
  return out;
}

/** Where the demo servers of a child process log what they received (FLOWGATE_DEMO_RECEIVED_LOG): beside its data directory, never in it. */
export function receivedLogFor(dataDir: string): string {
  return `${dataDir}.received.jsonl`;
}

/**
 * What reached the demo servers of another process (the CLI, `flowgate mcp`) started with
 * FLOWGATE_DEMO_RECEIVED_LOG=receivedLogFor(dir): the servers' own record of every message and
 * e-mail they accepted, in clear — not Flowgate's trace, which redacts what a run sent. `traceId`
 * limits it to one run. `console` is the audit log's records (what the trace shows).
 */
export function observedInDataDir(dir: string, traceId?: string): Observed {
  const records = jsonLines<AuditLine>(join(dir, 'audit.log')).filter((r) => !traceId || r.traceId === traceId);
  const received = jsonLines<{ kind: string; traceparent?: string; time: string } & Record<string, string>>(receivedLogFor(dir))
    .filter((r) => !traceId || r.traceparent?.split('-')[1] === traceId);
  const seen: Observed = { messages: [], emails: [], console: records.map((r) => JSON.stringify(r.data)), arrived: [] };
  for (const r of received) {
    if (r.kind === 'message') {
      seen.messages.push({ channel: String(r.channel), text: String(r.text) } as DemoMessage);
      seen.arrived!.push(Date.parse(r.time));
    }
    if (r.kind === 'email') seen.emails.push({ to: String(r.to), subject: String(r.subject), body: String(r.body) } as DemoEmail);
  }
  return seen;
}

/** What each target's cases must never do: the promise a test names. */
export const PROMISE: Record<string, string> = {
  salary: 'the salary never reaches a public channel',
  performance: 'a performance review never reaches a public channel',
  'salary-timing': 'the salary never reaches a public channel through when posts arrive',
  'salary-stop': 'the salary never reaches a public channel through how many posts arrive before the run stops',
  pii: 'customer PII never reaches an outside address',
  integrity: 'an untrusted document never chooses where a post goes',
  'console-salary': 'the trace never spells the salary in clear',
  'audit-salary': 'the trace never holds the salary in clear, however it was encoded',
};
