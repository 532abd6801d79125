/**
 * The reviewer's screen tells the whole truth (issue 11), in Chromium against a real core, with
 * Chromium's virtual passkey authenticator standing for the reviewer's device:
 * - a reason typed for one submission never reaches another;
 * - what an approval binds to (program hash, flows, policy and its hash) is on screen, and the
 *   state after deciding is unambiguous;
 * - an approval without the reviewer's passkey is refused;
 * - `flowgate verify` fails when a signed decision is altered;
 * - the label filter finds the outgoing post, the search finds it by its channel, the waterfall
 *   nests run → calls, and the post's detail says which earlier calls' data it carried.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipSignature, forgeLog } from '../core/audit/testing/forge.ts';
import { readStories } from '../core/service/stories.ts';
import { expect, test } from './fixtures.ts';
import { REVIEWER } from './pages/workbench.ts';

const ROOT = join(import.meta.dirname, '..');
const story = (id: number) => readStories().find((s) => s.id === id)!;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('a reason typed for one submission never reaches another', async ({ workbench }) => {
  const { review } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  const first = await review.submissionId();
  await review.decisionReason.fill('only for the first submission');
  await workbench.playStory(2);
  const second = await review.submissionId();
  expect(second).not.toBe(first);
  // A new submission starts with an empty reason.
  await expect(review.decisionReason).toHaveValue('');
  await review.approve('calibration, second submission');
  await expect(review.decision).toContainText('calibration, second submission');
  await expect(review.decision).not.toContainText('only for the first submission');
  // The first one still waits, with its own draft and nobody's decision.
  await workbench.openSubmission(first);
  await expect(review.state).toHaveAttribute('data-status', 'pending-review');
  await expect(review.decisionReason).toHaveValue('only for the first submission');
  await expect(review.decision).toHaveCount(0);
});

test('the decision states the program hash, the flows and the policy it binds to, and the state after is unambiguous', async ({ workbench }) => {
  const { review, page } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  await expect(review.state).toHaveText('waiting for review');
  await expect(review.boundProgram).toHaveAttribute('data-hash', sha256(story(2).source));
  await expect(review.boundFlows.filter({ hasText: 'workday.compensation → slack.internal' })).toHaveCount(1);
  await expect(review.boundPolicy).toContainText('hr-assistant');
  await expect(review.boundPolicy).toHaveAttribute('data-hash', /^[0-9a-f]{64}$/);
  await expect(page.getByTestId('bound-reviewer')).toContainText(REVIEWER);
  await review.approve('calibration meeting');
  await expect(review.decision).toHaveAttribute('data-method', 'passkey');
  await expect(review.decision).toContainText(`Approved by ${REVIEWER} (passkey)`);
  // Nowhere does it still say it needs approval: the inbox and the review say "approved".
  await expect(review.state).toHaveText('approved');
  const id = await review.submissionId();
  const line = page.locator(`[data-testid="inbox-item"][data-submission-id="${id}"]`);
  await expect(line.getByTestId('inbox-state')).toHaveText('approved');
  await review.run();
  await review.expectRunStatus('ok');
  await expect(review.state).toHaveText('ran ok');

  // An allowed program is not "approved": nobody had to.
  await workbench.playStory(4);
  await expect(review.state).toHaveText('allowed');
  await expect(page.getByTestId('no-decision-needed')).toBeVisible();
});

test('Run never runs something other than what is on screen: an edited program disables it', async ({ workbench }) => {
  const { review, page } = workbench;
  await workbench.playStory(4);
  await expect(review.runButton).toBeEnabled();
  await review.replaceWord('acc_007', 'acc_008');
  await expect(review.runButton).toBeDisabled();
  await expect(page.getByTestId('run-hint')).toContainText('Run would run the reviewed version');
});

test('an approval without the reviewer\'s passkey is refused', async ({ workbench }) => {
  const { review } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  // This device no longer holds the reviewer's passkey (another person at the keyboard, a script).
  await workbench.authenticator.clear();
  await review.decisionReason.fill('approving without a passkey');
  await review.approveButton.click();
  await expect(review.decideError).toContainText('The decision was not recorded');
  await expect(review.state).toHaveAttribute('data-status', 'pending-review');
  await expect(review.decision).toHaveCount(0);
  await expect(review.runButton).toBeDisabled();
});

test('flowgate verify checks the passkey signatures, and fails when a decision\'s signature is altered', async ({ workbench }) => {
  const { review } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  await review.approve('signed and then tampered with');
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-e2e-verify-'));
  try {
    const log = join(dir, 'audit.log');
    copyFileSync(join(process.env.FLOWGATE_E2E_DATA ?? '', 'audit.log'), log);
    const verify = (file: string) => spawnSync(process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(ROOT, 'core', 'cli.ts'), 'verify', file], { encoding: 'utf8' });
    const intact = verify(log);
    expect(intact.status, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/[1-9]\d* signed with a reviewer passkey \(signatures verified\)/);
    const forged = join(dir, 'forged.log');
    const seq = forgeLog(log, forged, (r) => r.kind === 'decision' && r.data.reason === 'signed and then tampered with', flipSignature);
    const tampered = verify(forged);
    expect(tampered.status).toBe(2);
    expect(tampered.stdout).toContain(`TAMPERED at record ${seq}`);
    expect(tampered.stdout).toContain('signature does not verify');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the trace view: the label filter finds the outgoing post, search finds its channel, the waterfall nests the calls, the post shows what it carried', async ({ workbench }) => {
  const { review, timeline, page } = workbench;
  await workbench.ensureReviewer();
  await workbench.playStory(2);
  await review.approve('for the trace view');
  await review.run();
  await review.expectRunStatus('ok');
  await workbench.tab('timeline');
  // The waterfall: the run under the submission, each call under the run.
  await expect(timeline.spans('run.start')).toHaveAttribute('data-depth', '1');
  await expect(timeline.spans('api.call').first()).toHaveAttribute('data-depth', '2');
  await expect(timeline.spans('api.call').filter({ hasText: 'slack.postMessage' })).toBeVisible();

  await timeline.filter('label', 'workday.compensation');
  const post = timeline.rowsOf('api.call').filter({ hasText: 'slack.postMessage' });
  await expect(post).toHaveCount(1);
  await expect(timeline.rowsOf('api.call').filter({ hasText: 'workday.getCompensation' }).first()).toBeVisible();
  await timeline.clearFilters();
  await timeline.search('hr-leads');
  await expect(post).toHaveCount(1);
  await timeline.clearFilters();
  await timeline.filter('destination', 'slack.internal');
  await expect(post).toHaveCount(1);

  const detail = await timeline.openRow(post);
  const carried = detail.getByTestId('carried').and(page.locator('[data-label="workday.compensation"]'));
  await expect(carried.first()).toContainText('workday.getCompensation');
  await workbench.screenshot('trace-view');
});
