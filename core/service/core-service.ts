/**
 * The core's protocol methods (protocol.ts) over the inbox, the runtime and the stores. One
 * object per core process; the WebSocket server, the Electron stdio pipe and the MCP server all
 * call these same handlers, so every client leaves the same trace.
 */
import { readFileSync, statSync } from 'node:fs';
import { analyzeProgram } from '../analysis/index.ts';
import { decodeEvent } from '../audit/lifecycle/codec.ts';
import { listTraces, readTrace } from '../audit/query.ts';
import { auditLogPath } from '../audit/store.ts';
import { searchDocs } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { lintPolicy, listPolicies, loadPolicy, parsePolicy, POLICY_SCHEMA, resolvePolicyFile } from '../policy/index.ts';
import type { Policy } from '../policy/types.ts';
import { resolveCatalog, resolveWorkspace, type CatalogChoice } from './environment.ts';
import { sha256 } from './execute.ts';
import { isOrphan } from './history.ts';
import type { CallContext, CatalogView, CoreEvent, MethodName, Params, PolicyRef, Result, SubmissionSummary, SubmissionView, WorkspaceView } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { Reviewers } from './reviewers.ts';
import type { Runtime } from './runtime.ts';
import { readStories } from './stories.ts';
import { MAX_PROGRAM_BYTES } from './limits.ts';
import { CommandError, PERSON_AGENTS, Submissions, type Entry } from './submissions.ts';

export type Handlers = { [M in MethodName]: (params: Params<M>, context: CallContext) => Promise<Result<M>> };

export class CoreService {
  readonly runtime: Runtime;
  readonly submissions: Submissions;
  readonly reviewers: Reviewers;
  private readonly listeners = new Set<(event: CoreEvent) => void>();

  constructor(runtime: Runtime) {
    this.runtime = runtime;
    this.known.set(runtime.catalog.workspace?.dir ?? (runtime.catalog.demo ? 'demo' : runtime.catalog.name), runtime.catalog);
    this.submissions = new Submissions(runtime);
    this.reviewers = new Reviewers(runtime.audit, auditLogPath(runtime.dataDir));
    this.submissions.subscribe(({ entry }) => {
      const out: CoreEvent = { type: 'submission', submission: summary(entry) };
      for (const listener of this.listeners) listener(out);
    });
  }

  /** Core events (submissions changing, every audit record as stored) for every connected client. */
  onEvent(listener: (event: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    // The timeline lives: every record, as stored, to every client — read back from the log's
    // batches only while someone listens.
    this.stopAudit ??= this.runtime.audit.onWritten((records) => {
      for (const record of records) for (const l of this.listeners) l({ type: 'audit', record });
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stopAudit?.();
        this.stopAudit = undefined;
      }
    };
  }

  private stopAudit: (() => void) | undefined;

  /** Calls a protocol method. `context.origin` is the workbench page's origin (browser mode), which passkeys are bound to. */
  async call<M extends MethodName>(method: M, params: Params<M>, context: CallContext = {}): Promise<Result<M>> {
    const handler = this.handlers[method] as ((p: Params<M>, c: CallContext) => Promise<Result<M>>) | undefined;
    if (!handler) throw new CommandError('method', `unknown method ${String(method)}`);
    return handler(params, context);
  }

  readonly handlers: Handlers = {
    hello: async () => ({ version: PROTOCOL_VERSION, catalog: this.runtime.catalog.name, demo: this.runtime.catalog.demo, policies: listPolicies() }),
    'catalog.get': async ({ catalog }) => catalogView(await this.catalogChoice(catalog)),
    'catalog.search': async ({ query, limit }) => searchDocs(this.runtime.catalog.catalog, query, { limit }),
    'policy.list': async () => listPolicies().map((name) => ({ name, file: resolvePolicyFile(name) ?? name })),
    'policy.get': async ({ name }) => {
      const file = resolvePolicyFile(name);
      if (!file) throw new CommandError('not-found', `no policy named ${name}`);
      return { name, text: readFileSync(file, 'utf8') };
    },
    'policy.schema': async () => ({ schema: POLICY_SCHEMA }),
    'policy.validate': async ({ text }) => {
      try {
        const policy = parsePolicy(text, 'policy.json', 'edited');
        return { ok: true, lint: lintPolicy(policy, this.runtime.catalog.catalog) };
      } catch (error) {
        if (error instanceof Error && error.name === 'PolicyError') {
          const e = error as Error & { pointer: string; detail?: string; line?: number; column?: number };
          return { ok: false, error: { message: e.detail ?? e.message, pointer: e.pointer, line: e.line, column: e.column }, lint: [] };
        }
        throw error;
      }
    },
    analyze: async ({ source, policy, catalog }) => {
      checkSize(source);
      return analyzeProgram(source, (await this.catalogChoice(catalog)).catalog, this.policy(policy), { hash: sha256, atRest: this.runtime.atRest.lookup() });
    },
    submit: async ({ source, intent, agent, task, policy, catalog, params }) => {
      checkSize(source);
      const entry = this.submissions.submit({ source, intent, agent: agentName(agent), task, policy: this.policy(policy), catalog: await this.catalogChoice(catalog), params });
      return this.view(entry);
    },
    'submissions.list': async () => (await this.inbox()).map(summary),
    'submission.get': async ({ id }) => {
      await this.inbox();
      return this.view(this.submissions.get(id));
    },
    'decision.request': async ({ id, decision, reason }) => this.reviewers.signRequest(this.submissions.statement(id, decision, reason)),
    decide: async ({ id, decision, reason, sourceHash, assertion }, context) => {
      // Only a registered reviewer's passkey decides over the protocol: the statement is rebuilt
      // here from the submission as it is now, so the signature covers what the reviewer saw.
      const statement = this.submissions.statement(id, decision, reason);
      const { name, proof } = await this.reviewers.check(statement, assertion, context.origin);
      return this.view(this.submissions.decide(id, { decision, who: name, reason, sourceHash, statement, proof }));
    },
    run: async ({ id }) => this.submissions.run(id),
    'prompt.request': async ({ promptId, approve, reason }) => this.reviewers.signRequest(this.submissions.promptStatement(promptId, approve, reason)),
    'prompt.answer': async ({ promptId, approve, reason, assertion }, context) => {
      const statement = this.submissions.promptStatement(promptId, approve, reason);
      const { name, proof } = await this.reviewers.check(statement, assertion, context.origin);
      this.submissions.answerPrompt(promptId, { approve, who: name, reason, statement, proof });
      return { ok: true as const };
    },
    'reviewers.list': async () => this.reviewers.list(),
    'reviewer.begin': async ({ name }, context) => this.reviewers.registrationOptions(name, context.origin),
    'reviewer.register': async ({ response }, context) => this.reviewers.register(response, context.origin),
    'reviewer.endorse': async ({ credentialId, assertion }, context) => this.reviewers.endorse(credentialId, assertion, context.origin),
    'traces.list': async ({ limit }) => {
      const entries = await this.inbox();
      const traces = await listTraces(auditLogPath(this.runtime.dataDir), { limit: limit ?? 200 });
      const byTrace = new Map(entries.map((e) => [e.state.traceId, e.state] as const));
      return Promise.all(traces.map(async (t) => {
        const s = byTrace.get(t.traceId);
        if (s) return { traceId: t.traceId, start: t.startTime, end: t.endTime, events: t.events, submissionId: s.id, intent: s.intent, agent: s.agent };
        // Not a submission's trace: say what it is (a reviewer's registration) rather than show a bare id.
        const [record] = t.events <= 2 ? await readTrace(auditLogPath(this.runtime.dataDir), t.traceId) : [];
        const first = record ? decodeEvent(record) : undefined;
        const about = first?.kind === 'reviewer' ? { intent: `Reviewer passkey registered: ${first.data.name}`, agent: 'reviewer' } : {};
        return { traceId: t.traceId, start: t.startTime, end: t.endTime, events: t.events, ...about };
      }));
    },
    'trace.get': async ({ traceId }) => {
      await this.runtime.audit.flush();
      return readTrace(auditLogPath(this.runtime.dataDir), traceId);
    },
    'demo.stories': async () => readStories(),
    'workspace.get': async () => ({ current: workspaceView(this.runtime.catalog), known: [...this.known.values()].map(workspaceView) }),
    'workspace.open': async ({ dir }) => {
      let choice: CatalogChoice;
      try {
        choice = dir === 'demo' ? await resolveCatalog('demo') : await resolveWorkspace(dir);
      } catch (error) {
        if (error instanceof Error && (error.name === 'WorkspaceError' || error.name === 'CatalogError')) {
          throw new CommandError('bad-workspace', error.message);
        }
        throw error;
      }
      await this.runtime.use(choice);
      this.known.set(choice.workspace?.dir ?? 'demo', choice);
      return workspaceView(choice);
    },
  };

  /** Catalogs this core has served, by directory (`demo` for the demo company). */
  private readonly known = new Map<string, CatalogChoice>();

  /**
   * Takes back the submissions a core that is gone (a crash, a restart of the Electron shell's
   * core) left waiting for review, so a reviewer still finds them in the inbox. Returns how many.
   */
  async restorePending(): Promise<number> {
    let restored = 0;
    for (const entry of await this.inbox()) {
      const { state } = entry;
      if (entry.live || !isOrphan(state)) continue;
      try {
        const policy = parsePolicy(JSON.stringify(state.policy.document), `${state.policy.name}.json`, state.policy.name);
        this.submissions.restore(state, policy, await this.catalogChoice(state.catalog === 'demo-v2' ? 'demo-v2' : state.catalog === 'demo' ? 'demo' : undefined));
        restored++;
      } catch {
        // A policy this version can no longer read stays in the log's history only.
      }
    }
    return restored;
  }

  /** Every submission: this core's, and those of other processes read back from the shared log. */
  private async inbox(): Promise<Entry[]> {
    await this.runtime.audit.flush();
    await this.submissions.refreshHistory(statSync(auditLogPath(this.runtime.dataDir)).size);
    return this.submissions.list();
  }

  /** A policy by name or as edited text; a bad one throws PolicyError (file and pointer). */
  policy(ref: PolicyRef): Policy {
    if ('text' in ref) return parsePolicy(ref.text, `${ref.name ?? 'edited'}.json`, ref.name ?? 'edited');
    return loadPolicy(ref.name);
  }

  private async catalogChoice(name: 'demo' | 'demo-v2' | undefined): Promise<CatalogChoice> {
    if (!name || name === this.runtime.catalog.name) return this.runtime.catalog;
    return resolveCatalog(name);
  }

  private view(entry: Entry): SubmissionView {
    const { state } = entry;
    const previous = this.submissions.list().filter((e) => e.state.task === state.task && e.state.createdAt <= state.createdAt && e.state.id !== state.id).at(-1);
    return {
      ...state,
      verdict: state.analysis?.verdict,
      prompts: entry.live?.prompts ?? [],
      readOnly: !entry.live,
      previous: previous ? { id: previous.state.id, source: previous.state.source } : undefined,
    };
  }
}

function checkSize(source: string): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_PROGRAM_BYTES) throw new CommandError('too-large', `the program is ${bytes} bytes; programs are limited to ${MAX_PROGRAM_BYTES} bytes`);
}

/** An inbox line for an entry. */
export function summary(entry: Entry): SubmissionSummary {
  const s = entry.state;
  return {
    id: s.id,
    traceId: s.traceId,
    createdAt: s.createdAt,
    intent: s.intent,
    agent: s.agent,
    task: s.task,
    policy: s.policy.name,
    verdict: s.analysis?.verdict,
    status: s.status,
    runStatus: s.run?.status,
    decision: s.decision ? { decision: s.decision.decision, who: s.decision.who, method: s.decision.method } : undefined,
    prompts: entry.live?.prompts ?? [],
    readOnly: !entry.live,
  };
}

export function workspaceView(choice: CatalogChoice): WorkspaceView {
  const view: WorkspaceView = { name: choice.name, demo: choice.demo, services: choice.catalog.services.map((s) => s.name), operations: choice.catalog.operations.size };
  if (choice.workspace) view.dir = choice.workspace.dir;
  return view;
}

export function catalogView(choice: CatalogChoice): CatalogView {
  const catalog: Catalog = choice.catalog;
  return {
    name: choice.name,
    services: catalog.services.map((service) => ({
      name: service.name,
      title: service.title,
      host: service.host,
      operations: service.operations.map((op) => ({
        id: op.id,
        service: op.service,
        name: op.name,
        verb: op.verb,
        host: op.host,
        method: op.method,
        path: op.path,
        summary: op.summary,
        labels: op.labels,
        fieldLabels: op.fieldLabels.map((f) => ({ path: f.path.join('.').replaceAll('.[]', '[]'), labels: f.labels })),
        destinations: Object.fromEntries(op.params.filter((p) => p.destination).map((p) => [p.name, (p.destination ?? []).map((d) => d.destination)])),
        approval: op.approval ? (op.approval.kind === 'always' ? 'always' : `when ${op.approval.when}`) : undefined,
      })),
    })),
    labels: catalog.labels,
    destinations: catalog.destinations,
    declarations: catalog.declarations,
  };
}


/**
 * Who submitted: the workbench's own editor when the caller names nobody; a caller that names
 * itself (an MCP client's reported name) is an agent, even when it picks a name Flowgate gives
 * people — what an agent is handed stays labelled with it (submissions.ts, PERSON_AGENTS).
 */
export function agentName(claimed: string | undefined): string {
  if (claimed === undefined) return 'workbench';
  return PERSON_AGENTS.has(claimed.trim().toLowerCase()) ? `agent "${claimed}"` : claimed;
}
