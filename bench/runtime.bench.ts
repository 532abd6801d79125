/**
 * Runtime figures (issue 2), measured side by side in one run: isolate cold start with bindings
 * ready, bridge overhead per API call over a direct fetch to the same server, the fixed cost of
 * a governed run, and story 4 end to end against the same two calls made directly with the demo
 * servers answering at a realistic 30 ms.
 */
import { loadCatalog } from '../core/catalog/index.ts';
import type { Catalog, Operation } from '../core/catalog/types.ts';
import { demoCatalogFiles, startDemo, type DemoHandle } from '../core/demo/index.ts';
import { loadPolicy } from '../core/policy/index.ts';
import { newTraceContext } from '../core/audit/trace.ts';
import { createHttpTransport, requestUrl } from '../core/sandbox/http-transport.ts';
import { GuestIsolate } from '../core/sandbox/isolate.ts';
import { runProgram } from '../core/sandbox/run.ts';
import { median, type BenchSection } from './report.ts';
import { decideCall } from '../core/policy/decide.ts';
import { destinationsOf } from '../core/catalog/destinations.ts';
import { containsCardNumber, containsNationalId, SensitiveValues } from '../core/sandbox/content-check.ts';
import { Redactor } from '../core/audit/redact.ts';

const policy = loadPolicy('seed');

function ms(n: number): string {
  return `${n.toFixed(3)} ms`;
}

async function directCall(demo: DemoHandle, op: Operation, args: Record<string, unknown>, body?: unknown): Promise<unknown> {
  const response = await fetch(requestUrl(op, args, demo.hostMap), {
    method: op.method,
    headers: { ...demo.credentials[op.host], 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

function governed(catalog: Catalog, demo: DemoHandle, source: string) {
  return runProgram({
    source, catalog, policy,
    transport: createHttpTransport({ hostMap: demo.hostMap, credentials: demo.credentials }),
    trace: newTraceContext(),
  });
}

export default async function runtimeBench(): Promise<BenchSection> {
  const catalog = await loadCatalog(demoCatalogFiles(1));
  const getAccount = catalog.operations.get('salesforce.getAccount') as Operation;
  const updateAccount = catalog.operations.get('salesforce.updateAccount') as Operation;

  // 1. Isolate cold start, interpreter loaded and ready (what the spare isolate hides from a run).
  const cold: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    const guest = await GuestIsolate.create({ memoryMb: 128, onMessage: () => {} });
    cold.push(performance.now() - t);
    guest.dispose();
  }

  const fast = await startDemo();
  let overheadPerCall: number;
  let fixedCost: number;
  try {
    // 2. Bridge overhead per call: N calls in one program vs N direct fetches, alternating.
    const N = 40;
    const loop = `for (let i = 0; i < ${N}; i++) await salesforce.getAccount({ accountId: 'acc_001' });\nreturn 1;`;
    for (let i = 0; i < 5; i++) await governed(catalog, fast, loop);
    const perCall: number[] = [];
    for (let round = 0; round < 15; round++) {
      let t = performance.now();
      for (let i = 0; i < N; i++) await directCall(fast, getAccount, { accountId: 'acc_001' });
      const direct = performance.now() - t;
      // Runs are timed once the spare isolate is ready, as for runs that are not back to back.
      await GuestIsolate.spareReady();
      const empty = performance.now();
      await governed(catalog, fast, 'return 1;');
      const fixed = performance.now() - empty;
      await GuestIsolate.spareReady();
      t = performance.now();
      const result = await governed(catalog, fast, loop);
      if (result.status !== 'ok') throw new Error(`bench program failed: ${JSON.stringify(result.error)}`);
      const run = performance.now() - t;
      perCall.push((run - fixed - direct) / N);
    }
    overheadPerCall = median(perCall);

    // 3. The fixed cost of a governed run (a program with no API call).
    const fixedRuns: number[] = [];
    for (let i = 0; i < 40; i++) {
      await GuestIsolate.spareReady();
      const t = performance.now();
      await governed(catalog, fast, 'return 1;');
      fixedRuns.push(performance.now() - t);
    }
    fixedCost = median(fixedRuns);
  } finally {
    await fast.close();
  }

  // 4. Story 4 end to end vs the same two calls direct, servers at 30 ms.
  const slow = await startDemo({ latencyMs: 30 });
  let ratio: number;
  let story: number;
  let direct: number;
  try {
    const source = `const account = await salesforce.getAccount({ accountId: 'acc_007' });\nconst updated = await salesforce.updateAccount({ accountId: account.id, fields: { status: 'active' } });\nreturn updated.status;`;
    const storyRuns: number[] = [];
    const directRuns: number[] = [];
    for (let i = 0; i < 12; i++) {
      let t = performance.now();
      const account = (await directCall(slow, getAccount, { accountId: 'acc_007' })) as { id: string };
      await directCall(slow, updateAccount, { accountId: account.id }, { fields: { status: 'active' } });
      directRuns.push(performance.now() - t);
      await GuestIsolate.spareReady();
      t = performance.now();
      const result = await governed(catalog, slow, source);
      if (result.status !== 'ok') throw new Error(`story 4 failed: ${JSON.stringify(result.error)}`);
      storyRuns.push(performance.now() - t);
    }
    story = median(storyRuns);
    direct = median(directRuns);
    ratio = story / direct;
  } finally {
    await slow.close();
  }

  // 5. The runtime flow check alone: destinations, decideCall over the run's labels, and the
  //    content check against 200 remembered values, for one postMessage.
  const hr = loadPolicy('hr-assistant');
  const postMessage = catalog.operations.get('slack.postMessage') as Operation;
  const seen = new SensitiveValues();
  for (let i = 0; i < 200; i++) seen.remember(`Employee Name ${i}`, 'workday.employeeData');
  const labels = ['workday.employeeData', 'workday.compensation', 'workday.performance'];
  const args = { channel: '#hr-leads', text: 'Q3 results: ' + 'x'.repeat(400) };
  const checks: number[] = [];
  for (let round = 0; round < 20; round++) {
    const t = performance.now();
    for (let i = 0; i < 1000; i++) {
      decideCall(hr, postMessage, { labels, destinations: destinationsOf(postMessage, args), args });
      seen.labelsIn(args);
    }
    checks.push((performance.now() - t) / 1000);
  }
  const checkCost = median(checks);

  // 6. The content layer at scale: a 10 kB argument against 5,000 remembered values (1,250
  //    employees' salary, bonus, name and email), recognised under every normalised form; and
  //    the redaction of the same argument with the same values registered.
  const content = contentAtScale();

  // 7. A CPU-bound program (10,000 records sorted and grouped): interpreted with label tracking
  //    (a whole governed run, no API call) vs the same code native in this process.
  const cpu = await cpuBound(catalog);

  const coldMedian = median(cold);
  return {
    title: 'Governed runtime (isolated-vm sandbox + bridge)',
    rows: [
      { metric: 'isolate cold start with the interpreter compiled (median of 60; made ahead as the spare)', value: ms(coldMedian) },
      { metric: 'bridge overhead per API call over direct fetch (median)', value: ms(overheadPerCall), goal: '≤ 0.3 ms', met: overheadPerCall <= 0.3 },
      { metric: 'fixed cost of a governed run (median of 40)', value: ms(fixedCost), goal: '≤ 10 ms', met: fixedCost <= 10 },
      { metric: 'runtime flow + content check per API call (median)', value: `${(checkCost * 1000).toFixed(1)} µs` },
      { metric: 'content check, 10 kB argument vs 5,000 values (median)', value: ms(content.check), goal: '≤ 5 ms', met: content.check <= 5 },
      { metric: 'redaction, 10 kB argument vs 5,000 values (median)', value: ms(content.redact) },
      { metric: 'remembering 5,000 values (all forms precomputed)', value: ms(content.register) },
      { metric: 'story 4 governed end to end (30 ms servers, median)', value: ms(story) },
      { metric: 'story 4 as two direct calls (median)', value: ms(direct) },
      { metric: 'story 4 ratio governed / direct', value: ratio.toFixed(3), goal: '≤ 1.1', met: ratio <= 1.1 },
      { metric: 'CPU-bound: sort + group 10,000 records, interpreted (median of 5)', value: ms(cpu.interpreted) },
      { metric: 'CPU-bound: the same code native (median of 5)', value: ms(cpu.native) },
      { metric: 'CPU-bound ratio interpreted / native', value: `${(cpu.interpreted / cpu.native).toFixed(0)}×` },
    ],
    notes: ['Every governed run is timed once the spare isolate (made ahead, interpreter compiled and warmed) is ready, as for runs that are not back to back; the cold-start row is what a run waits for when it is.', 'Content check = labelsIn (values in all normalised forms) + card number + national id patterns over one call\'s arguments; the argument is prose with numbers, names and an id list, none of them remembered.', 'Overhead per call = (governed run of 40 calls − empty governed run − 40 direct fetches) / 40, alternated per round; includes argument validation, policy checks, trace span and the isolate round trip. No audit log is attached here; the audit bench measures appends.'],
  };
}

const CPU_PROGRAM = `const records = [];
for (let i = 0; i < 10000; i++) records.push({ id: i, dept: 'd' + (i % 17), salary: (i * 7919) % 100000 });
records.sort((a, b) => a.salary - b.salary);
const byDept = new Map();
for (const r of records) {
  const g = byDept.get(r.dept) ?? { n: 0, total: 0 };
  g.n++;
  g.total += r.salary;
  byDept.set(r.dept, g);
}
return [...byDept.entries()].map(([d, g]) => d + ':' + Math.round(g.total / g.n)).join(',');`;

async function cpuBound(catalog: Catalog): Promise<{ interpreted: number; native: number }> {
  const demo = await startDemo();
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (body: string) => () => Promise<unknown>;
    const nativeRun = new AsyncFunction(CPU_PROGRAM);
    const expected = await nativeRun();
    const interpreted: number[] = [];
    const native: number[] = [];
    for (let i = 0; i < 6; i++) {
      await GuestIsolate.spareReady();
      let t = performance.now();
      const result = await runProgram({ source: CPU_PROGRAM, catalog, policy, transport: createHttpTransport({ hostMap: demo.hostMap, credentials: demo.credentials }), trace: newTraceContext() });
      if (result.status !== 'ok' || result.result !== expected) throw new Error(`CPU bench program failed: ${JSON.stringify(result.error ?? result.result)}`);
      if (i > 0) interpreted.push(performance.now() - t);
      t = performance.now();
      await nativeRun();
      if (i > 0) native.push(performance.now() - t);
    }
    return { interpreted: median(interpreted), native: median(native) };
  } finally {
    await demo.close();
  }
}


/** Figures for the content layer with 5,000 remembered values (see section 6). */
export function contentAtScale(): { check: number; redact: number; register: number } {
  const seen = new SensitiveValues();
  const redactor = new Redactor({ redactLabels: ['workday.compensation', 'workday.employeeData'] });
  const started = performance.now();
  for (let i = 0; i < 1250; i++) {
    const values: Array<[string, string]> = [
      [String(80_000 + i * 97), 'workday.compensation'],
      [String(5_000 + i * 13), 'workday.compensation'],
      [`Employee${i} Surname${(i * 7919) % 10_007}`, 'workday.employeeData'],
      [`employee.${i}@acme.example`, 'workday.employeeData'],
    ];
    for (const [value, label] of values) {
      seen.remember(value, label);
      redactor.register(value, label);
    }
  }
  const register = performance.now() - started;
  const words = 'The quarterly review covers hiring plans, budgets for Q3 and offices in Berlin and Austin; see ticket'.split(' ');
  let text = '';
  for (let k = 0; text.length < 10_000; k++) text += `${words[k % words.length]} ${k % 9 === 0 ? `TCK-${String(k).padStart(6, '0')} ` : ''}${k % 23 === 0 ? `${(k * 7) % 100}% ` : ''}`;
  const args = { channel: '#general', text: text.slice(0, 10_000) };
  const check: number[] = [];
  const redact: number[] = [];
  for (let round = 0; round < 60; round++) {
    let t = performance.now();
    if (seen.labelsIn(args).size || containsCardNumber(args) || containsNationalId(args)) throw new Error('content bench: the benign argument matched');
    check.push(performance.now() - t);
    t = performance.now();
    redactor.redact(args);
    redact.push(performance.now() - t);
  }
  return { check: median(check.slice(10)), redact: median(redact.slice(10)), register };
}
