/**
 * The layout holds at 1280×720 and 1920×1080: long lines wrap with their marker on screen, the
 * Decide panel and the run's result are visible without scrolling, the flow graph is drawn at
 * its CSS size (never scaled down into unreadable labels), the catalog filter ignores case and
 * says when nothing matches. Also takes the README's two screenshots.
 */
import type { Locator } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';

const SCREENS = join(import.meta.dirname, '..', 'test-results', 'screens');

/** Fully on screen: inside the viewport, not merely scrolled into it somewhere. */
async function expectOnScreen(locator: Locator): Promise<void> {
  await expect(locator).toBeInViewport({ ratio: 1 });
}

test.describe('at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('story 3: the long refund line wraps with its marker on screen, beside the Decide panel', async ({ workbench }) => {
    const { review, page } = workbench;
    await workbench.playStory(3);
    await review.expectVerdict('deny');
    await review.expectMarkerOnLine('deny', 'createRefund');
    // The end of the long line (the key it leaks) is on screen, wrapped, not cut at the edge.
    await expectOnScreen(review.editor.locator('.view-line', { hasText: 'key.value' }).first());
    await expectOnScreen(page.getByTestId('decide-panel'));
    await expectOnScreen(page.getByTestId('approve-explanation'));
    await workbench.viewportShot(join(SCREENS, 'story-3-1280x720.png'));
  });

  test('story 2: decide, run, and read the result without scrolling; the flow graph is legible', async ({ workbench }) => {
    const { review, page } = workbench;
    await workbench.ensureReviewer();
    await workbench.playStory(2);
    await review.expectMarkerOnLine('approval', 'slack.postMessage');
    await expectOnScreen(review.boundProgram);
    await expectOnScreen(review.approveButton);
    await workbench.viewportShot(join(SCREENS, 'readme-review.png'));
    await review.approve('calibration: HR leads only');
    await review.run();
    await review.expectRunStatus('ok');
    await expectOnScreen(page.getByTestId('run-result'));

    // The flow graph at zoom 1: 12 px labels, no node over another.
    await page.getByTestId('flow-graph').scrollIntoViewIfNeeded();
    const zoom = await page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    expect(zoom).toBe(1);
    const nodes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, font: parseFloat(getComputedStyle(el).fontSize) };
    }));
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    for (const n of nodes) expect(n.font).toBeGreaterThanOrEqual(12);
    for (const a of nodes) for (const b of nodes) {
      if (a === b) continue;
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      expect(apart, 'flow graph nodes do not overlap').toBe(true);
    }
    const box = await page.getByTestId('flow-graph').boundingBox();
    for (const n of nodes) expect(n.x + n.w).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 1);
    await workbench.screenshot('story-2-1280x720-ran');

    await workbench.tab('timeline');
    await workbench.timeline.filter('label', 'workday.compensation');
    await workbench.timeline.openRow(workbench.timeline.rowsOf('api.call').filter({ hasText: 'slack.postMessage' }));
    await workbench.viewportShot(join(SCREENS, 'readme-trace.png'));
  });

  test('the catalog filter ignores case and says when nothing matches', async ({ workbench }) => {
    const { page } = workbench;
    await workbench.tab('catalog');
    const filter = page.getByTestId('catalog-filter');
    await filter.fill('customerPII');
    await expect(page.getByTestId('catalog-operation').first()).toBeVisible();
    await filter.fill('CUSTOMERPII');
    await expect(page.getByTestId('catalog-service')).toHaveCount(1);
    await expect(page.getByTestId('catalog-service')).toContainText('salesforce');
    await filter.fill('no such thing at all');
    await expect(page.getByTestId('catalog-empty')).toContainText('No operation, label or destination matches');
    await expect(page.getByTestId('catalog-operation')).toHaveCount(0);
  });
});

test.describe('at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('story 1: the marker line, the reasons and the Decide panel are all on screen', async ({ workbench }) => {
    const { review, page } = workbench;
    await workbench.playStory(1);
    await review.expectMarkerOnLine('deny', 'slack.postMessage');
    await expectOnScreen(page.getByTestId('decide-panel'));
    await expectOnScreen(review.reasonsWith('deny').first());
    await expectOnScreen(page.getByTestId('run-panel'));
    await workbench.viewportShot(join(SCREENS, 'story-1-1920x1080.png'));
  });
});
