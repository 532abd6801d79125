/**
 * An agent that gives up after 60 s — the MCP Inspector's CLI, the real one from npm — submits
 * story 2 through `flowgate mcp` (which attaches to the workbench under test). It gets, before
 * its own timeout, "waiting for review" with the submission id and the workbench's address —
 * not a denial. A human approves in the workbench with their passkey; a second Inspector call
 * collects the outcome with get_result.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readStories } from '../core/service/stories.ts';
import { expect, test } from './fixtures.ts';

const ROOT = join(import.meta.dirname, '..');
/** Pinned, so the suite means the same thing tomorrow: the Inspector's current release at the time of writing. */
const INSPECTOR = '@modelcontextprotocol/inspector@2.12.0';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `npx -y <Inspector> --cli …`, as a person would type it. */
function inspector(args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise<Run>((resolve, reject) => {
    const child = spawn('npx', ['-y', INSPECTOR, '--cli', ...args], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** The Inspector asking `flowgate mcp` (on the suite's data directory, so attached to its workbench) to call one tool. */
function callTool(tool: string, args: Record<string, string>): Promise<Run> {
  const server = ['-e', `FLOWGATE_DATA=${process.env.FLOWGATE_E2E_DATA}`, 'node', join(ROOT, 'bin', 'flowgate.cjs'), 'mcp', '--policy', 'hr-assistant'];
  return inspector([...server, '--method', 'tools/call', '--tool-name', tool, '--tool-args-json', JSON.stringify(args), '--format', 'json']);
}

function toolResult(run: Run): { text: string; isError?: boolean; structuredContent?: Record<string, unknown> } {
  expect(run.code, `the Inspector exited with ${run.code}\n${run.stdout}\n${run.stderr}`).toBe(0);
  const { result } = JSON.parse(run.stdout) as { result: { content: Array<{ type: string; text?: string }>; isError?: boolean; structuredContent?: Record<string, unknown> } };
  return { text: result.content.map((c) => c.text ?? '').join('\n'), isError: result.isError, structuredContent: result.structuredContent };
}

test.beforeAll(async () => {
  // The first `npx -y` downloads the Inspector; that is not part of what is measured below.
  test.setTimeout(5 * 60_000);
  const help = await inspector(['--help']);
  expect(help.code, help.stderr).toBe(0);
});

test('the Inspector CLI round trip: "waiting for review" before its 60 s timeout, and the outcome collected after a human approves', async ({ workbench }) => {
  test.setTimeout(5 * 60_000);
  const { review } = workbench;
  await workbench.ensureReviewer();
  const story = readStories().find((s) => s.id === 2)!;
  const intent = 'Inspector: the HR leads get Q3 ratings with pay';

  const first = toolResult(await callTool('execute_code', { code: story.source, intent }));
  expect(first.isError).toBeFalsy();
  expect(first.text).not.toMatch(/denied/i);
  expect(first.structuredContent).toMatchObject({ status: 'pending-review', submissionId: expect.any(String), workbench: expect.stringMatching(/^http:\/\/localhost:\d+\/$/) });
  const id = String(first.structuredContent?.submissionId);
  expect(first.text).toContain(`Waiting for review: submission ${id}`);
  expect(first.text).toContain('get_result');

  // Still waiting in the workbench — the Inspector giving up denied nothing.
  await workbench.openSubmission(id);
  await expect(review.state).toHaveAttribute('data-status', 'pending-review');
  await review.approve('the HR leads may see Q3 pay');

  const second = toolResult(await callTool('get_result', { submissionId: id }));
  expect(second.isError, second.text).toBeFalsy();
  // The run reads pay and ratings, which hr-assistant does not let reach the agent: the result
  // comes back withheld (the reviewer sees the whole run in the workbench).
  expect(JSON.parse(second.text)).toMatchObject({ status: 'ok', result: expect.stringMatching(/^\[WITHHELD:workday\./) });
  await expect(review.state).toHaveText('ran ok');
});
