/**
 * Flowgate on the vendors' own API descriptions (issue 10): per document (GitHub 1,223
 * operations, Stripe 452, Slack 174; from npm at pinned versions, scripts/vendor-docs.ts) the
 * first load (read, validate, map), the cached load (content hash), `search_docs` latency and
 * the latency of a warm check; then the token figure on GitHub's catalog: every operation as an
 * MCP tool definition (classic) against `search_docs` + `execute_code`, for a three-call
 * workflow run for real against Prism serving GitHub's document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createAnalyzer } from '../core/analysis/index.ts';
import { buildCatalog, loadServiceDocument, searchDocs } from '../core/catalog/index.ts';
import { parsePolicy } from '../core/policy/index.ts';
import { CoreService } from '../core/service/core-service.ts';
import { createMcpServer } from '../core/service/mcp.ts';
import { openRuntime } from '../core/service/runtime.ts';
import { startPrism } from '../core/workspace/testing/prism.ts';
import type { Workspace } from '../core/workspace/types.ts';
import { vendorDocument, vendorSource, type VendorDocument } from '../scripts/vendor-docs.ts';
import { median, type BenchSection } from './report.ts';
import { callMessage, classicToolList, textOf, tokens } from './tokens.bench.ts';

const GOALS = { firstLoadMs: 10_000, cachedMs: 500, searchMs: 50, warmCheckMs: 300 };

const PROGRAMS: Record<'github' | 'stripe' | 'slack', { queries: string[]; program: string }> = {
  github: {
    queries: ['list issues of a repository', 'list comments on an issue', 'create a comment on an issue'],
    program: [
      "const owner = 'octo-org';",
      "const repo = 'hello';",
      'const issues = await github.issuesListForRepo({ owner, repo, state: \'open\', per_page: 30 });',
      'const comments = await github.issuesListComments({ owner, repo, issue_number: 1347 });',
      'const body = `Triage: ${issues.length} open issues; ${comments.length} comments on #1347.`;',
      'return await github.issuesCreateComment({ owner, repo, issue_number: 1347, body });',
    ].join('\n'),
  },
  stripe: {
    queries: ['retrieve a customer', 'list invoices of a customer', 'create a refund'],
    program: "const customer = await stripe.GetCustomersCustomer({ customer: 'cus_123' });\nconst email = 'email' in customer ? customer.email : null;\nreturn email;",
  },
  slack: {
    queries: ['post a message to a channel', 'history of a conversation', 'list channels'],
    program: "const history = await slack.conversations_history({ channel: 'C123', limit: 20 });\nconst texts = (history.messages ?? []).map((m) => m.text);\nawait slack.chat_postMessage({ channel: '#eng', text: `${texts.length} messages` });\nreturn texts.length;",
  },
};

const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);

async function documentRows(name: 'github' | 'stripe' | 'slack', cacheDir: string): Promise<BenchSection['rows']> {
  const file = await vendorDocument(name);
  const input = { file, options: { name, ...(name === 'slack' ? { credentialParams: ['token'] } : {}) } };
  let started = performance.now();
  const service = await loadServiceDocument(input, { cacheDir });
  const first = performance.now() - started;
  const cached: number[] = [];
  for (let i = 0; i < 3; i++) {
    started = performance.now();
    await loadServiceDocument(input, { cacheDir });
    cached.push(performance.now() - started);
  }
  const catalog = buildCatalog([service]);
  started = performance.now();
  searchDocs(catalog, 'warm up the index');
  const index = performance.now() - started;
  const searches: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const query of PROGRAMS[name].queries) {
      started = performance.now();
      searchDocs(catalog, query, { limit: 3 });
      searches.push(performance.now() - started);
    }
  }
  const policy = parsePolicy(JSON.stringify({ permissions: { [name]: ['read', 'write'] }, egress: [service.host] }), 'bench.json');
  const analyzer = createAnalyzer(catalog, policy);
  const program = PROGRAMS[name].program;
  started = performance.now();
  const analysis = analyzer.analyze(program);
  const cold = performance.now() - started;
  const warm: number[] = [];
  for (let i = 1; i <= 7; i++) {
    started = performance.now();
    analyzer.analyze(`${program}\n// edit ${i}`);
    warm.push(performance.now() - started);
  }
  const goal = name === 'github';
  return [
    { metric: `${name}: first load (${service.operations.length} operations, ${vendorSource(name as VendorDocument)})`, value: ms(first), ...(goal ? { goal: `≤ ${ms(GOALS.firstLoadMs)}`, met: first <= GOALS.firstLoadMs } : {}) },
    { metric: `${name}: cached load (median of 3)`, value: ms(median(cached)), ...(goal ? { goal: `≤ ${ms(GOALS.cachedMs)}`, met: median(cached) <= GOALS.cachedMs } : {}) },
    { metric: `${name}: search_docs (median of ${searches.length}; building the index first: ${ms(index)})`, value: ms(median(searches)), ...(goal ? { goal: `≤ ${GOALS.searchMs} ms`, met: median(searches) <= GOALS.searchMs } : {}) },
    { metric: `${name}: check a ${program.split('\n').length}-line program, warm (median of 7 edits; cold ${ms(cold)}, verdict ${analysis.verdict})`, value: ms(median(warm)), ...(goal ? { goal: `≤ ${GOALS.warmCheckMs} ms`, met: median(warm) <= GOALS.warmCheckMs } : {}) },
  ];
}

/** The three-call GitHub workflow: classic tool calling against code mode, both run for real against Prism. */
async function githubTokens(dir: string): Promise<BenchSection> {
  const document = await vendorDocument('github');
  const prism = await startPrism(document);
  try {
    const workspace: Workspace = { name: 'bench', dir, file: join(dir, 'flowgate.json'), services: [{ name: 'github', document, baseUrl: prism.url, overlays: [], credentials: [] }] };
    const service = await loadServiceDocument({ file: document, options: { name: 'github' } }, { cacheDir: join(dir, 'cache') });
    const catalog = buildCatalog([service]);
    const runtime = await openRuntime({ catalog: { catalog, demo: false, name: 'bench', workspace }, dataDir: join(dir, 'data') });
    try {
      const { program, queries } = PROGRAMS.github;
      // Classic: every operation as a tool, then the three calls with their real responses through the model.
      const classicDefinitions = tokens(classicToolList(catalog));
      const call = async (id: string, args: Record<string, unknown>) => {
        const op = catalog.operations.get(id);
        if (!op) throw new Error(`no ${id}`);
        const answer = await runtime.transport.call(op, args, {});
        if (answer.status >= 400) throw new Error(`${id}: HTTP ${answer.status}`);
        return { call: tokens(callMessage(id.replace('.', '_'), args)), result: tokens(JSON.stringify(answer.body)), body: answer.body };
      };
      const listed = await call('github.issuesListForRepo', { owner: 'octo-org', repo: 'hello', state: 'open', per_page: 30 });
      const number = 1347;
      const comments = await call('github.issuesListComments', { owner: 'octo-org', repo: 'hello', issue_number: number });
      const created = await call('github.issuesCreateComment', { owner: 'octo-org', repo: 'hello', issue_number: number, body: 'Triage: …' });
      const classic = classicDefinitions + [listed, comments, created].reduce((a, e) => a + e.call + e.result, 0);

      // Code mode: Flowgate's MCP server, in-process, under a policy that allows the workflow.
      const policyFile = join(dir, 'policy.json');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(policyFile, JSON.stringify({ permissions: { github: ['read', 'write'] }, egress: ['api.github.com'] }));
      const core = new CoreService(runtime);
      const server = createMcpServer(core, { policy: { name: policyFile } });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name: 'vendor-bench', version: '1.0.0' });
      await client.connect(clientSide);
      try {
        const listedTools = await client.listTools();
        const definitions = tokens(JSON.stringify({ tools: listedTools.tools })) + tokens(client.getInstructions() ?? '');
        let searches = 0;
        let found = 0;
        for (const query of queries) {
          const answer = textOf(await client.callTool({ name: 'search_docs', arguments: { query } }));
          searches += tokens(callMessage('search_docs', { query })) + tokens(answer);
          const wanted = { 0: 'issuesListForRepo(', 1: 'issuesListComments(', 2: 'issuesCreateComment(' }[queries.indexOf(query)] ?? '';
          if (answer.includes(wanted)) found++;
        }
        const input = { code: program, intent: 'Triage the oldest issue without comments' };
        const executed = (await client.callTool({ name: 'execute_code', arguments: input })) as CallToolResult;
        const answer = textOf(executed);
        if (executed.isError) throw new Error(`execute_code: ${answer}`);
        const code = definitions + searches + tokens(callMessage('execute_code', input)) + tokens(answer);
        const reduction = 100 * (1 - code / classic);
        return {
          title: `Tokens (o200k_base): GitHub's catalog (${catalog.operations.size} operations), three-call triage workflow`,
          rows: [
            { metric: 'classic: every operation as a tool definition', value: `${classicDefinitions.toLocaleString('en-US')} tokens` },
            { metric: 'classic: definitions + 3 calls + 3 real responses', value: `${classic.toLocaleString('en-US')} tokens` },
            { metric: `code mode: 2 tools + ${queries.length} search_docs + execute_code (ran: ${JSON.parse(answer).status})`, value: `${code.toLocaleString('en-US')} tokens` },
            { metric: 'reduction', value: `−${reduction.toFixed(1)}%`, goal: '≥ 98.7%', met: reduction >= 98.7 },
            { metric: 'search_docs answers declaring the operation each query is for (top 3)', value: `${found} of ${queries.length}` },
          ],
          notes: [`Responses are Prism's examples for GitHub's document (Prism ${'5.16'} on loopback); Cloudflare's published counterpart for its own API is 1.17M → ~1k tokens.`],
        };
      } finally {
        await client.close();
        await server.close();
      }
    } finally {
      await runtime.close();
    }
  } finally {
    await prism.close();
  }
}

export default async function vendorBench(): Promise<BenchSection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-vendor-bench-'));
  try {
    const rows: BenchSection['rows'] = [];
    for (const name of ['github', 'stripe', 'slack'] as const) rows.push(...(await documentRows(name, join(dir, 'cache'))));
    return [
      { title: "Vendors' API descriptions: load, cache, search, check", rows, notes: ['First load = read + validate (swagger-parser) + map; cached = the same bytes hashed and the parsed service read back.'] },
      await githubTokens(dir),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
