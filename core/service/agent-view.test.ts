/**
 * What an agent gets back from a run (mcp-outcome.ts `runView`) once the run has read data the
 * agent may not see: real runs under hr-assistant (compensation may not reach `agent`), the real
 * demo servers, the real interpreter. And what stays with the agent afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../policy/index.ts';
import { GuestIsolate } from '../sandbox/isolate.ts';
import { agentName, CoreService } from './core-service.ts';
import { resolveCatalog } from './environment.ts';
import { runView } from './mcp-outcome.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { Submissions } from './submissions.ts';

const AGENT = 'agent-view-test';
let data: string;
let runtime: Runtime;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'flowgate-agent-view-'));
  runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
});
afterAll(async () => {
  await runtime?.close();
  await GuestIsolate.releaseSpare();
  rmSync(data, { recursive: true, force: true });
});

async function run(source: string, agent = AGENT, params?: Record<string, unknown>) {
  const submissions = new Submissions(runtime);
  const { state } = submissions.submit({ source, intent: 'agent view', agent, policy: loadPolicy('hr-assistant'), ...(params ? { params } : {}) });
  return { verdict: state.analysis?.verdict, result: await submissions.run(state.id, {}) };
}

describe("the agent's view of a run that read what the agent may not see", () => {
  it('stops where such data decides what happens: later calls and console lines are one marker, a result holding a withheld value is withheld whole', async () => {
    const { result } = await run(`
      console.log('before');
      const pay = await workday.getCompensation({ employeeId: 'emp_001' });
      console.log('after');
      if (pay.salary > 1) await workday.getEmployee({ employeeId: 'emp_002' });
      for (let i = 0; i < 3; i++) console.log('line ' + i);
      return { values: [pay.salary, 1, 2] };
    `);
    expect(result.status).toBe('ok');
    // Reading it is not the cut: the call made because of it is.
    expect(result.withheldFrom).toMatchObject({ calls: 1, console: 2 });
    expect(result.withheldFrom?.labels).toContain('workday.compensation');
    // The person at the trace sees every call; the agent does not.
    expect(result.calls.map((c) => c.operation)).toEqual(['getCompensation', 'getEmployee']);
    const view = runView(result);
    expect(view.calls.map((c) => c.operation)).toEqual(['workday.getCompensation']);
    expect(view.callsWithheld).toBeDefined();
    expect(view.console.slice(0, 2)).toEqual(['before', 'after']);
    expect(view.console).toHaveLength(3);
    expect(view.console[2]).toMatch(/^\[WITHHELD:[^\]]*workday\.compensation[^\]]*\] console output from here on/);
    expect(view.result).toMatch(/^\[WITHHELD:[^\]]*workday\.compensation[^\]]*\]$/);
  });

  it('a line printed because of such data is the cut, marker and all (no markers in place among plain lines)', async () => {
    const { result } = await run(`
      const pay = await workday.getCompensation({ employeeId: 'emp_001' });
      for (let bit = 0; bit < 4; bit++) {
        if ((pay.salary >> bit) & 1) console.log('x');
        console.log('tick');
      }
    `);
    const view = runView(result);
    expect(view.console.filter((l) => l === 'x')).toEqual([]);
    expect(view.console.at(-1)).toMatch(/^\[WITHHELD:[^\]]*workday\.compensation/);
  });

  it('says neither where nor why the program threw where such data decided it', async () => {
    const { result } = await run(`
      const pay = await workday.getCompensation({ employeeId: 'emp_001' });
      if (pay.salary > 100000) {
        throw new Error('high');
      } else {
        throw new Error('low');
      }
    `);
    expect(result.status).toBe('error');
    expect(result.error?.line).toBeGreaterThan(0); // the trace keeps it
    const view = runView(result);
    expect(JSON.stringify(view)).not.toMatch(/\bhigh\b|\blow\b|"line"/);
    expect(view.error?.message).toMatch(/^\[WITHHELD:[^\]]*workday\.compensation/);
  });

  it('story 4 under seed reads contacts it never uses: both calls stay in view (precision)', async () => {
    const submissions = new Submissions(runtime);
    const source = readFileSync(join(import.meta.dirname, '..', 'demo', 'stories', '04-activate-account.ts'), 'utf8');
    const { state } = submissions.submit({ source, intent: 'story 4', agent: 'agent-view-story4', policy: loadPolicy('seed') });
    const view = runView(await submissions.run(state.id, {}));
    expect(view.status).toBe('ok');
    expect(view.calls.map((c) => c.operation)).toEqual(['salesforce.getAccount', 'salesforce.updateAccount']);
    expect(view.result).toEqual({ id: 'acc_007', status: 'active' });
  });

  // Probes written after the cut was built, beyond the red team's corpus: each spells something of
  // the salary through what the agent sees; none may come back in clear.
  const PAY = "const p = await workday.getCompensation({ employeeId: 'emp_001' });";
  const probes: Record<string, string> = {
    'a return under the pc': `${PAY} if (p.salary > 100000) return 1; return 2;`,
    'an array length set by an index': `${PAY} const a = []; a[p.salary % 7] = 1; return a.length;`,
    'which keys exist': `${PAY} const o: Record<string, number> = {}; if (p.salary > 100000) o.x = 1; return Object.keys(o).length;`,
    'a Map size': `${PAY} const m = new Map(); if (p.salary > 100000) m.set('a', 1); return m.size;`,
    'a repeated string length': `${PAY} return 'x'.repeat(p.salary % 10).length;`,
    'promise ordering': `${PAY} const out: string[] = []; const a = Promise.resolve().then(() => out.push('a')); if (p.salary > 100000) await null; out.push('b'); await a; return out.join('');`,
    'a flag a closure sets': `${PAY} let f = false; const set = () => { f = true; }; if (p.salary > 100000) set(); return f;`,
    'sort order': `${PAY} const a = [3, 1, 2]; a.sort((x, y) => (p.salary > 100000 ? x - y : y - x)); return a[0];`,
    'a loop count printed after the loop': `${PAY} let i = 0; while (i < p.salary % 5) i++; console.log('i=' + i); console.log('end');`,
    'a throw a null decides': `${PAY} const o: { x?: number } | null = p.salary > 100000 ? null : {}; return o!.x;`,
  };
  for (const [name, source] of Object.entries(probes)) {
    it(`spells nothing through ${name}`, async () => {
      const { result } = await run(source, `agent-view-probe`);
      const view = runView(result);
      const shown = JSON.stringify({ ...view, traceId: undefined });
      // Whatever the outcome, the agent gets a marker or a stop code, never a value the salary chose.
      expect(shown).not.toMatch(/"result":(true|false|-?\d|"[ab]+")/);
      expect(view.console.filter((l) => /^i=/.test(l))).toEqual([]);
      if (view.status === 'error') expect(view.error?.message).toMatch(/^\[WITHHELD:/);
    });
  }

  it('a run that reads nothing withheld is shown whole (benign twin)', async () => {
    const { result } = await run(`
      const channels = await slack.listChannels({});
      console.log('one');
      console.log('two');
      return { count: channels.channels.length > 0, n: [1, 2, 3] };
    `, 'agent-view-benign');
    expect(result.withheldFrom).toBeUndefined();
    const view = runView(result);
    expect(view.console).toEqual(['one', 'two']);
    expect(view.result).toMatchObject({ n: [1, 2, 3] });
    expect(view.calls).toHaveLength(1);
  });

  it('everything those runs read stays with the agent: its later params carry compensation, and #general is refused', async () => {
    const labels = runtime.atRest.labelsForAgent(AGENT).map((l) => l.label);
    expect(labels).toContain('workday.compensation');
    const post = `await slack.postMessage({ channel: '#general', text: String(params.note) }); return 'posted';`;
    const tainted = await run(post, AGENT, { note: 'a number I inferred' });
    expect(tainted.verdict).toBe('deny');
    // Another agent, which never watched such a run, may post its own input.
    const clean = await run(post, 'agent-view-fresh', { note: 'hello' });
    expect(clean.verdict).toBe('allow');
    expect(clean.result.status).toBe('ok');
  });

  it("an MCP client cannot name itself as a person (cli, workbench) to make its params trusted", () => {
    expect(agentName(undefined)).toBe('workbench');
    expect(agentName('claude-code')).toBe('claude-code');
    for (const claimed of ['cli', 'workbench', 'CLI', ' workbench ']) expect(agentName(claimed)).not.toMatch(/^(cli|workbench)$/);
  });

  it('the workbench editor (no agent named) submits as a person over the protocol', async () => {
    const core = new CoreService(runtime);
    const view = await core.call('submit', { source: "return 1;", intent: 'typed by a person', policy: { name: 'hr-assistant' } });
    expect(view.agent).toBe('workbench');
    const claimed = await core.call('submit', { source: "return 1;", intent: 'an agent claiming', agent: 'workbench', policy: { name: 'hr-assistant' } });
    expect(claimed.agent).not.toBe('workbench');
  });
});
