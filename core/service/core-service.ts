/**
 * The core's protocol methods (protocol.ts) over the inbox, the runtime and the stores. One
 * object per core process; the WebSocket server, the Electron stdio pipe and the MCP server all
 * call these same handlers, so every client leaves the same trace.
 */
import { readFileSync, statSync } from 'node:fs';
import { analyzeProgram } from '../analysis/index.ts';
import { listTraces, readTrace } from '../audit/query.ts';
import { auditLogPath } from '../audit/store.ts';
import { searchDocs } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { lintPolicy, listPolicies, loadPolicy, parsePolicy, POLICY_SCHEMA, resolvePolicyFile } from '../policy/index.ts';
import type { Policy } from '../policy/types.ts';
import { resolveCatalog, resolveWorkspace, type CatalogChoice } from './environment.ts';
import { sha256 } from './execute.ts';
import type { CatalogView, CoreEvent, MethodName, Params, PolicyRef, Result, SubmissionSummary, SubmissionView, WorkspaceView } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import type { Runtime } from './runtime.ts';
import { readStories } from './stories.ts';
import { readHistory, readOrphans } from './history.ts';
import { MAX_PROGRAM_BYTES } from './limits.ts';
import { CommandError, Submissions, type Submission } from './submissions.ts';

export type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };

export class CoreService {
  readonly runtime: Runtime;
  readonly submissions: Submissions;
  private readonly listeners = new Set<(event: CoreEvent) => void>();

  constructor(runtime: Runtime) {
    this.runtime = runtime;
    this.known.set(runtime.catalog.workspace?.dir ?? (runtime.catalog.demo ? 'demo' : runtime.catalog.name), runtime.catalog);
    this.submissions = new Submissions(runtime);
    this.submissions.subscribe((event) => {
      const out: CoreEvent = event.type === 'submission' ? { type: 'submission', submission: summary(event.submission) } : event;
      for (const listener of this.listeners) listener(out);
    });

  }

  /** Core events (submissions changing, live run events) for every connected client. */
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

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const handler = this.handlers[method] as ((p: Params<M>) => Promise<Result<M>>) | undefined;
    if (!handler) throw new CommandError('method', `unknown method ${String(method)}`);
    return handler(params);
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
      const submission = this.submissions.submit({ source, intent, agent: agent ?? 'workbench', task, policy: this.policy(policy), catalog: await this.catalogChoice(catalog), params });
      return this.view(submission);
    },
    'submissions.list': async () => {
      const live = this.submissions.list();
      const earlier = await this.history(new Set(live.map((s) => s.id)));
      return [...earlier.map(({ source: _s, sourceHash: _h, analysis: _a, decision: _d, run: _r, previous: _p, ...rest }) => rest), ...live.map(summary)];
    },
    'submission.get': async ({ id }) => {
      const live = this.submissions.list().find((s) => s.id === id);
      if (live) return this.view(live);
      const earlier = (await this.history(new Set())).find((s) => s.id === id);
      if (!earlier) throw new CommandError('not-found', `no submission ${id}`);
      return earlier;
    },
    decide: async ({ id, decision, who, reason, sourceHash }) => this.view(this.submissions.decide(id, { decision, who, reason, sourceHash })),
    run: async ({ id }) => this.submissions.run(id),
    'prompt.answer': async ({ promptId, approve, who, reason }) => {
      this.submissions.answerPrompt(promptId, { approve, who, reason });
      return { ok: true as const };
    },
    'traces.list': async ({ limit }) => {
      await this.runtime.audit.flush();
      const traces = await listTraces(auditLogPath(this.runtime.dataDir), { limit: limit ?? 200 });
      const byTrace = new Map<string, { id: string; intent: string; agent: string }>([
        ...(await this.history(new Set())).map((s) => [s.traceId, s] as const),
        ...this.submissions.list().map((s) => [s.traceId, s] as const),
      ]);
      return traces.map((t) => {
        const s = byTrace.get(t.traceId);
        return { traceId: t.traceId, start: t.startTime, end: t.endTime, events: t.events, submissionId: s?.id, intent: s?.intent, agent: s?.agent };
      });
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
    await this.runtime.audit.flush();
    const orphans = await readOrphans(auditLogPath(this.runtime.dataDir), new Set(this.submissions.list().map((s) => s.id)));
    let restored = 0;
    for (const o of orphans) {
      try {
        const policy = parsePolicy(JSON.stringify(o.policyDocument), `${o.policyName}.json`, o.policyName);
        this.submissions.restore({ ...o, policy, catalog: await this.catalogChoice(o.catalog === 'demo-v2' ? 'demo-v2' : o.catalog === 'demo' ? 'demo' : undefined) });
        restored++;
      } catch {
        // A policy this version can no longer read stays in the log's history only.
      }
    }
    return restored;
  }

  /** Finished submissions of other processes sharing this data directory (the CLI, earlier runs). */
  private async history(skip: ReadonlySet<string>): Promise<SubmissionView[]> {
    await this.runtime.audit.flush();
    const file = auditLogPath(this.runtime.dataDir);
    // Read back only when the log grew (this core or another process appended): the inbox and
    // the trace list ask on every refresh.
    const size = statSync(file).size;
    if (this.historyCache?.size !== size) {
      const views = readHistory(file, new Set());
      this.historyCache = { size, views };
      views.catch(() => (this.historyCache = undefined));
    }
    return (await this.historyCache.views).filter((v) => !skip.has(v.id));
  }

  private historyCache: { size: number; views: Promise<SubmissionView[]> } | undefined;

  /** A policy by name or as edited text; a bad one throws PolicyError (file and pointer). */
  policy(ref: PolicyRef): Policy {
    if ('text' in ref) return parsePolicy(ref.text, `${ref.name ?? 'edited'}.json`, ref.name ?? 'edited');
    return loadPolicy(ref.name);
  }

  private async catalogChoice(name: 'demo' | 'demo-v2' | undefined): Promise<CatalogChoice> {
    if (!name || name === this.runtime.catalog.name) return this.runtime.catalog;
    return resolveCatalog(name);
  }

  private view(submission: Submission): SubmissionView {
    const earlier = this.submissions.list().filter((s) => s.task === submission.task && s.createdAt <= submission.createdAt && s.id !== submission.id);
    const previous = earlier.at(-1);
    return {
      ...summary(submission),
      source: submission.source,
      sourceHash: submission.sourceHash,
      analysis: submission.analysis,
      decision: submission.decision,
      run: submission.run,
      previous: previous ? { id: previous.id, source: previous.source } : undefined,
    };
  }
}

function checkSize(source: string): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_PROGRAM_BYTES) throw new CommandError('too-large', `the program is ${bytes} bytes; programs are limited to ${MAX_PROGRAM_BYTES} bytes`);
}

export function summary(s: Submission): SubmissionSummary {
  return {
    id: s.id,
    traceId: s.traceId,
    createdAt: s.createdAt,
    intent: s.intent,
    agent: s.agent,
    task: s.task,
    policy: s.policy.name,
    verdict: s.analysis.verdict,
    status: s.status,
    runStatus: s.run?.status,
    prompts: s.prompts,
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

