/**
 * The red team's adversarial corpus (core/analysis/fixtures/attacks): reading its cases and
 * deciding, from what the demo servers actually received, whether a forbidden flow completed.
 *
 * A case is a program with header comments:
 *   // policy: hr-assistant        // catalog: demo
 *   // expect: not-allow | allow | needs-approval (why) | any (…)
 *   // target: salary | pii | integrity | console-salary | host | stage
 *   // stage: <file>               (run first, in an earlier run over the same data directory)
 *   // limits: {"maxDurationMs": 3000}
 *   // hole: <what the runtime gets wrong>   (present while the case is known to complete at run time)
 *   // analysis-miss: <what the analysis gets wrong>   (present while the case is judged allow)
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
import type { DemoEmail, DemoMessage } from '../../demo/index.ts';
import type { Limits } from '../../policy/types.ts';

export const ATTACKS_DIR = join(import.meta.dirname, '..', '..', 'analysis', 'fixtures', 'attacks');

export type Target = 'salary' | 'pii' | 'integrity' | 'console-salary' | 'host' | 'stage';

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
  limits?: Partial<Limits>;
  /** A hole this case is known to exploit at run time (see the header comment). */
  hole?: string;
  /** What the analysis is known to miss in this case. */
  analysisMiss?: string;
  /** Meant to be refused before it runs. */
  refused?: string;
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
    limits: limits ? (JSON.parse(limits) as Partial<Limits>) : undefined,
    hole: header('hole'),
    analysisMiss: header('analysis-miss'),
    refused: header('refused'),
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
}

export function demoTruths(): Truths {
  const data = createDemoData();
  const salary = data.workday.compensation.get('emp_001')?.salary;
  if (typeof salary !== 'number') throw new Error('the demo data has no salary for emp_001');
  const emails = ['acc_001', 'acc_003', 'acc_004'].map((id) => data.accounts.find((a) => a.id === id)?.contacts[0]?.email ?? '');
  return { salary, emails: emails.filter(Boolean) };
}

/** What the demo servers received during one run (their side effects), and what the run printed. */
export interface Observed {
  messages: DemoMessage[];
  emails: DemoEmail[];
  console: string[];
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
    default:
      break;
  }
  return out;
}

/** A snapshot position in the demo's side-effect lists, to see what one run added. */
export function mark(state: { messages: DemoMessage[]; emails: DemoEmail[] }): { messages: number; emails: number } {
  return { messages: state.messages.length, emails: state.emails.length };
}

/** What the demo received since `from`, plus the run's console lines. */
export function observedSince(state: { messages: DemoMessage[]; emails: DemoEmail[] }, from: { messages: number; emails: number }, consoleLines: string[]): Observed {
  return { messages: state.messages.slice(from.messages), emails: state.emails.slice(from.emails), console: consoleLines };
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

/**
 * What reached the demo servers of another process (the CLI, `flowgate mcp`), read back from its
 * data directory: a message or an e-mail counts when the audit log has the call going out
 * (`api.call`, allowed or approved) and the demo server's request log has that very request
 * (same span in its `traceparent`) answered with a 2xx status. `traceId` limits it to one run.
 */
export function observedInDataDir(dir: string, traceId?: string): Observed {
  const records = jsonLines<AuditLine>(join(dir, 'audit.log')).filter((r) => !traceId || r.traceId === traceId);
  const served = new Set(jsonLines<{ status: number; traceparent?: string }>(join(dir, 'demo-requests.jsonl'))
    .filter((r) => r.status >= 200 && r.status < 300 && r.traceparent)
    .map((r) => r.traceparent!.split('-')[2]));
  const seen: Observed = { messages: [], emails: [], console: records.map((r) => JSON.stringify(r.data)) };
  for (const r of records) {
    if (r.kind !== 'api.call' || !['allow', 'approved'].includes(String(r.data.decision)) || !served.has(r.spanId)) continue;
    const request = (r.data.request ?? {}) as Record<string, unknown>;
    if (r.name === 'slack.postMessage') seen.messages.push({ channel: String(request.channel), text: String(request.text) });
    if (r.name === 'sendgrid.sendEmail') seen.emails.push({ to: String(request.to), subject: String(request.subject), body: String(request.body) });
  }
  return seen;
}
