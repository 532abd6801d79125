/**
 * The stories a new user plays from the Demo menu (SCENARIOS.md), in Chromium against a real
 * core and the demo APIs.
 */
import { expect, test } from './fixtures.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STORIES = join(import.meta.dirname, '..', 'core', 'demo', 'stories');

test('story 1: posting salaries to #general is denied, with the marker on the postMessage line', async ({ workbench }) => {
  const { review } = workbench;
  await workbench.playStory(1);
  await review.expectVerdict('deny');

  const deny = review.reasonsWith('deny').filter({ hasText: 'workday.compensation' }).first();
  await expect(deny).toContainText('slack.public');
  const postLine = await review.lineNumberOf('slack.postMessage');
  await expect(deny).toHaveAttribute('data-line', String(postLine));
  await review.expectMarkerOnLine('deny', 'slack.postMessage');

  // A deny verdict cannot be approved, and the page says why.
  await expect(review.approveButton).toBeDisabled();
  await expect(workbench.page.getByTestId('approve-explanation')).toContainText('cannot be approved');
  await workbench.screenshot('story-1-deny');
});

test('story 2: approved with a reason, runs, and its trace shows the approval', async ({ workbench }) => {
  const { review, timeline } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  await review.expectVerdict('needs-approval');
  await expect(review.runButton).toBeDisabled();

  const reason = 'HR leads need the Q3 ratings with pay for calibration';
  await review.approve(reason);
  await expect(review.decision).toContainText(reason);
  await review.run();
  await review.expectRunStatus('ok');
  await expect(workbench.page.getByTestId('run-call').first()).toBeVisible();
  await workbench.screenshot('story-2-approved-run');

  await workbench.tab('timeline');
  await timeline.expectRow('decision', reason);
  const decisionRow = timeline.rowsOf('decision').filter({ hasText: reason }).first();
  await expect(decisionRow).toContainText('e2e reviewer (passkey)');
  // The same trace holds the run and each API call.
  const traceId = await decisionRow.getAttribute('data-trace-id');
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await expect(timeline.rowsOf('api.call', traceId ?? '').first()).toBeVisible();
  await timeline.expectRow('run.end', 'run ok', traceId ?? '');
  await workbench.screenshot('story-2-timeline');
});

test('an edit in the editor changes the verdict', async ({ workbench }) => {
  const { review } = workbench;
  await workbench.playStory(1);
  await review.expectVerdict('deny');
  await review.replaceWord('general', 'hr-leads');
  await expect(workbench.page.getByTestId('edited-hint')).toBeVisible();
  await review.expectVerdict('needs-approval');
  await expect(review.reasonsWith('deny')).toHaveCount(0);
  await workbench.screenshot('edit-changes-verdict');
});

test('a policy with a typo shows a clear error naming the field', async ({ workbench }) => {
  const { policy } = workbench;
  await workbench.tab('policy');
  await policy.open('hr-assistant');
  await policy.replaceWord('permissions', 'permisions');
  await expect(policy.error).toBeVisible();
  await expect(policy.error).toHaveAttribute('data-pointer', '/permisions');
  await expect(policy.error).toContainText('did you mean "permissions"');
  await expect(policy.status).toHaveText('invalid');
  await expect(workbench.page.getByTestId('policy-use')).toBeDisabled();
  await workbench.screenshot('policy-typo');
});

test('story 3: reading the Stripe key to make a refund is denied before running', async ({ workbench }) => {
  const { review } = workbench;
  await workbench.playStory(3);
  await review.expectVerdict('deny');
  await expect(review.reasonsWith('deny').filter({ hasText: 'vault' }).first()).toBeVisible();
  await expect(review.approveButton).toBeDisabled();
  await expect(review.runButton).toBeDisabled();
  await workbench.screenshot('story-3-deny');
});

test('story 4: activating an account is allowed, runs, and leaves two API calls on its trace', async ({ workbench }) => {
  const { review, timeline } = workbench;
  await workbench.playStory(4);
  await review.expectVerdict('allow');
  await review.run();
  await review.expectRunStatus('ok');
  await workbench.tab('timeline');
  const runEnd = timeline.rowsOf('run.end').filter({ hasText: 'run ok' }).first();
  await expect(runEnd).toBeVisible();
  const traceId = (await runEnd.getAttribute('data-trace-id')) ?? '';
  await expect(timeline.rowsOf('api.call', traceId)).toHaveCount(2);
  await workbench.screenshot('story-4-timeline');
});

test('a call that needs approval at run time waits for a prompt, and the answer is on the trace', async ({ workbench }) => {
  const { review, timeline } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  await review.expectVerdict('needs-approval');
  // The channel comes from the channel list: the analysis cannot tell where the compensation
  // goes, so the runtime has to ask when it actually heads for a channel.
  const program = [
    "const pay = await workday.getCompensation({ employeeId: 'emp_001' });",
    'const { channels } = await slack.listChannels();',
    "const leads = channels.find((c) => c.topic.startsWith('HR leadership'));",
    "await slack.postMessage({ channel: leads ? leads.name : '#eng', text: 'pay ' + pay.salary });",
    "return 'posted';",
  ].join('\n');
  await review.editor.click();
  await workbench.page.keyboard.press('ControlOrMeta+A');
  await workbench.page.keyboard.insertText(program);
  await expect(review.editorLine("startsWith('HR leadership')")).toBeVisible();
  await workbench.page.getByTestId('submit').click();
  await review.expectVerdict('needs-approval');
  await expect(review.reasonsWith('needs-approval').first()).toContainText('UNPROVEN');

  await review.approve('the dynamic lookup is reviewed; ask me at run time');
  await review.run();
  const prompt = workbench.page.getByTestId('prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText('slack.postMessage');
  await workbench.page.getByTestId('prompt-reason').fill('one message to the HR leads is fine');
  await workbench.page.getByTestId('prompt-approve').click();
  await review.expectRunStatus('ok');
  await expect(workbench.page.getByTestId('run-call').last()).toHaveAttribute('data-decision', 'approved');
  await workbench.screenshot('runtime-prompt-approved');

  await expect(workbench.page.getByTestId('call-answer').last()).toContainText('approved by e2e reviewer (passkey)');
  await workbench.tab('timeline');
  // The runtime approval names the human, not the agent.
  await timeline.expectRow('approval.result', /approved by e2e reviewer \(passkey\): one message to the HR leads is fine/);
});

test('every demo story shows the verdict its program expects', async ({ workbench }) => {
  // The Demo menu lists the stories the core serves (core/demo/stories); each program's header
  // says what the analysis must conclude.
  const stories = readdirSync(STORIES).filter((f) => /^\d+-.*\.ts$/.test(f)).sort();
  expect(stories.length).toBeGreaterThanOrEqual(11);
  for (const file of stories) {
    const expected = /^\/\/ expect: (allow|needs-approval|deny)$/m.exec(readFileSync(join(STORIES, file), 'utf8'))?.[1];
    expect(expected, `${file} has an expect: header`).toBeDefined();
    await workbench.playStory(Number.parseInt(file, 10));
    await workbench.review.expectVerdict(expected as 'allow' | 'needs-approval' | 'deny');
  }
});
