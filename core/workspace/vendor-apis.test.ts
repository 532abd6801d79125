/**
 * Flowgate on APIs nobody here wrote, end to end: the vendors' own OpenAPI documents for
 * GitHub, Stripe and Slack (from npm at pinned versions, see scripts/vendor-docs.ts), served by
 * Prism on loopback behind a recording proxy, a workspace with credentials from environment
 * variables, overlays and a policy, and `bin/flowgate.cjs check|run --workspace` as child
 * processes, as a user runs them. The credentials must reach Prism (which rejects requests
 * without them) and appear nowhere else: not in results, output, or the data directory.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendorDocument } from '../../scripts/vendor-docs.ts';
import { startPrism, startRecorder, type Recorder, type RunningPrism } from './testing/prism.ts';
import { writeShallowDocument } from './testing/prism-document.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'flowgate-vendor-'));
const data = join(dir, 'data');
const secrets = {
  GITHUB_TOKEN: `ghp_${randomBytes(18).toString('hex')}`,
  STRIPE_KEY: `sk_test_${randomBytes(18).toString('hex')}`,
  SLACK_TOKEN: `xoxb-${randomBytes(18).toString('hex')}`,
};
const outputs: string[] = [];
const servers: Array<RunningPrism | Recorder> = [];
let github: Recorder;
let stripe: Recorder;
let slack: Recorder;

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function flowgate(args: string[], env: Record<string, string> = secrets): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin', 'flowgate.cjs'), ...args], {
      cwd: dir,
      env: { ...process.env, FLOWGATE_DATA: data, GITHUB_TOKEN: '', STRIPE_KEY: '', SLACK_TOKEN: '', ...env },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      outputs.push(stdout, stderr);
      const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function program(name: string, source: string): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, source);
  return file;
}

function json(out: { stdout: string; stderr: string }): Record<string, unknown> {
  try {
    return JSON.parse(out.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON: ${out.stdout}\n${out.stderr}`);
  }
}

beforeAll(async () => {
  const [githubDoc, stripeDoc, slackDoc] = await Promise.all([vendorDocument('github'), vendorDocument('stripe'), vendorDocument('slack')]);
  const stripeForPrism = join(dir, 'stripe-for-prism.json');
  writeShallowDocument(stripeDoc, stripeForPrism, ['/v1/customers/{customer}']);
  const prisms = await Promise.all([startPrism(githubDoc), startPrism(stripeForPrism), startPrism(slackDoc)]);
  servers.push(...prisms);
  [github, stripe, slack] = await Promise.all(prisms.map((p) => startRecorder(p.url)));
  servers.push(github, stripe, slack);

  mkdirSync(join(dir, 'overlays'));
  writeFileSync(join(dir, 'overlays', 'github.yaml'), [
    'overlay: 1.0.0',
    'info: { title: Flowgate labels for GitHub, version: 1.0.0 }',
    'actions:',
    "  - target: $.paths['/repos/{owner}/{repo}/issues'].get",
    '    update:',
    '      x-flowgate-labels: [github.issues]',
  ].join('\n'));
  writeFileSync(join(dir, 'overlays', 'slack.yaml'), [
    'overlay: 1.0.0',
    'info: { title: Flowgate labels for Slack, version: 1.0.0 }',
    'actions:',
    "  - target: $.paths['/chat.postMessage'].post",
    '    update: { x-flowgate-verb: post }',
    "  - target: $.paths['/chat.postMessage'].post.requestBody.content['application/x-www-form-urlencoded'].schema.properties.channel",
    '    update:',
    '      x-flowgate-destination: { slack.public: ["#general", "#random"], slack.internal: ["*"] }',
  ].join('\n'));
  writeFileSync(join(dir, 'policy.json'), JSON.stringify({
    permissions: { github: ['read', 'write'], stripe: ['read'], slack: ['post'] },
    egress: ['api.github.com', 'api.stripe.com', 'slack.com'],
    // The agent that asked may read the issues (a rule that lists destinations must name it).
    dataFlows: { 'github.issues': { allowedDestinations: ['slack.internal', 'agent'], blockedDestinations: ['slack.public'] } },
  }, null, 2));
  writeFileSync(join(dir, 'flowgate.json'), JSON.stringify({
    $schema: join(root, 'schemas', 'workspace.schema.json'),
    name: 'vendor-apis',
    policy: 'policy.json',
    services: {
      github: {
        openapi: githubDoc,
        baseUrl: github.url,
        overlays: ['overlays/github.yaml'],
        credentials: [{ scheme: { type: 'http', scheme: 'bearer' }, secret: { env: 'GITHUB_TOKEN' } }],
      },
      stripe: { openapi: stripeDoc, baseUrl: stripe.url, credentials: [{ scheme: 'bearerAuth', secret: { env: 'STRIPE_KEY' } }] },
      slack: {
        openapi: slackDoc,
        baseUrl: slack.url,
        overlays: ['overlays/slack.yaml'],
        credentials: [{ scheme: 'slackAuth', secret: { env: 'SLACK_TOKEN' } }, { parameter: 'token', secret: { env: 'SLACK_TOKEN' } }],
      },
    },
  }, null, 2));
}, 600_000);

// Each test starts one to three `flowgate` processes; on a loaded 2-core machine one takes 5–20 s.
describe('real vendor documents against Prism, through a workspace', { timeout: 240_000 }, () => {
  it('GitHub: lists a repository\'s issues and comments on one; the token reaches the API as a bearer token', async () => {
    // One expression after the list: whether the code after `issues[0].number` runs depends on
    // the issues (it throws on an empty list), so the interpreter refuses new declarations there.
    const file = program('github-comment', [
      "const issues = await github.issuesListForRepo({ owner: 'octo-org', repo: 'hello', state: 'open' });",
      "return await github.issuesCreateComment({ owner: 'octo-org', repo: 'hello', issue_number: issues[0].number, body: 'Looking into it' });",
    ].join('\n'));
    const out = await flowgate(['run', file, '--json']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const report = json(out);
    expect(report.status).toBe('ok');
    expect(report.result).toMatchObject({ id: expect.any(Number), body: expect.any(String) });
    const list = github.requests.find((r) => r.method === 'GET' && r.url.startsWith('/repos/octo-org/hello/issues'));
    const post = github.requests.find((r) => r.method === 'POST' && /^\/repos\/octo-org\/hello\/issues\/\d+\/comments$/.test(r.url));
    expect(list?.headers.authorization).toBe(`Bearer ${secrets.GITHUB_TOKEN}`);
    expect(post?.headers.authorization).toBe(`Bearer ${secrets.GITHUB_TOKEN}`);
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ body: 'Looking into it' });
    expect([list?.status, post?.status]).toEqual([200, 201]);
  });

  it('Stripe: looks a customer up; Prism accepts the request only with the key', async () => {
    const file = program('stripe-customer', "const customer = await stripe.GetCustomersCustomer({ customer: 'cus_NffrFeUfNV2Hib' });\nreturn customer;");
    const out = await flowgate(['run', file, '--json']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(json(out).result).toMatchObject({ id: expect.any(String) });
    const call = stripe.requests.find((r) => r.url.startsWith('/v1/customers/cus_NffrFeUfNV2Hib'));
    expect(call?.headers.authorization).toBe(`Bearer ${secrets.STRIPE_KEY}`);
    expect(call?.status).toBe(200);
    // The same call without the credential: Prism refuses it (it checks the document's security).
    const bare = await fetch(`${stripe.url}/v1/customers/cus_NffrFeUfNV2Hib`);
    expect(bare.status).toBe(401);
  });

  it('Slack: posts to an internal channel; the token goes in the header the document declares, never through the program', async () => {
    const file = program('slack-post', "const sent = await slack.chat_postMessage({ channel: '#eng', text: 'Deploy finished' });\nreturn sent.ok;");
    const out = await flowgate(['run', file, '--json']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(json(out).result).toBe(true);
    const call = slack.requests.find((r) => r.url === '/chat.postMessage');
    expect(call?.status).toBe(200);
    expect(call?.headers.token).toBe(secrets.SLACK_TOKEN);
    expect(call?.headers.authorization).toBe(`Bearer ${secrets.SLACK_TOKEN}`);
    expect(new URLSearchParams(call?.body).get('channel')).toBe('#eng');
    // A program cannot pass the token: it is not an argument of the operation.
    const sneaky = program('slack-token', "return await slack.chat_postMessage({ channel: '#eng', text: 'x', token: 'mine' } as never);");
    const refused = await flowgate(['run', sneaky, '--json']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(5);
    expect((json(refused).error as { message: string }).message).toContain('"token" is not an argument of this operation');
  });

  it('a flow the policy forbids is stopped: GitHub issues to a public Slack channel', async () => {
    const file = program('issues-to-general', [
      "const issues = await github.issuesListForRepo({ owner: 'octo-org', repo: 'hello' });",
      "await slack.chat_postMessage({ channel: '#general', text: issues.map((i) => i.title).join(', ') });",
    ].join('\n'));
    const checked = await flowgate(['check', file, '--json']);
    expect(checked.code, checked.stdout + checked.stderr).toBe(2);
    const reasons = json(checked).reasons as Array<{ label?: string; destination?: string; line: number }>;
    expect(reasons.some((r) => r.label === 'github.issues' && r.destination === 'slack.public' && r.line === 2), JSON.stringify(reasons)).toBe(true);
    const before = slack.requests.length;
    const run = await flowgate(['run', file, '--approve', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(slack.requests.length).toBe(before);
  });

  it('a program naming a service or operation the workspace lacks is denied with a suggestion', async () => {
    const file = program('typos', "await slak.chat_postMessage({ channel: '#eng', text: 'hi' });\nawait github.issuesListForRepoo({ owner: 'a', repo: 'b' });");
    const out = await flowgate(['check', file, '--json']);
    expect(out.code).toBe(2);
    const messages = (json(out).diagnostics as Array<{ message: string; blocking: boolean }>).filter((d) => d.blocking).map((d) => d.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('did you mean slack?'), expect.stringContaining('did you mean issuesListForRepo?')]));
  });

  it('without the secret in the environment the call fails with a message naming the variable, not a value', async () => {
    const file = program('no-secret', "return await slack.chat_postMessage({ channel: '#eng', text: 'hi' });");
    const out = await flowgate(['run', file, '--json'], { ...secrets, SLACK_TOKEN: '' });
    expect(out.code, out.stdout + out.stderr).toBe(5);
    expect(out.stdout).toContain('the environment variable SLACK_TOKEN is not set');
  });

  it('the credentials appear nowhere but in the requests Prism received', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(data);
    expect(files.some((f) => f.endsWith('audit.log'))).toBe(true);
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), ...outputs];
    for (const [name, secret] of Object.entries(secrets)) {
      expect(texts.filter((t) => t.includes(secret)).length, `${name} found`).toBe(0);
    }
    const reached = [...github.requests, ...stripe.requests, ...slack.requests].map((r) => JSON.stringify(r.headers));
    for (const secret of Object.values(secrets)) expect(reached.some((h) => h.includes(secret))).toBe(true);
  });
});
