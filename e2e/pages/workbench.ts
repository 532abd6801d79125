/**
 * The workbench's frame: open it with the token, wait for the core connection, play a demo
 * story, switch tabs. Every wait is on a state the page shows (no sleeps).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Authenticator, Credential } from './authenticator.ts';
import { PolicyPage } from './policy.ts';
import { ReviewPage } from './review.ts';
import { TimelinePage } from './timeline.ts';

const SCREENS = join(import.meta.dirname, '..', '..', 'test-results', 'screens');

/**
 * The suite's reviewer: registered once (by the first test that needs one), then lent to every
 * page's authenticator. Kept in the suite's data directory, with its signature counter as the
 * last page left it (the core refuses a counter that goes back), so a restarted test worker
 * finds it too.
 */
export const REVIEWER = 'e2e reviewer';
const reviewerFile = () => join(process.env.FLOWGATE_E2E_DATA ?? '', 'e2e-reviewer.json');
const storedReviewer = (): Credential | undefined => (existsSync(reviewerFile()) ? (JSON.parse(readFileSync(reviewerFile(), 'utf8')) as Credential) : undefined);

export class Workbench {
  readonly page: Page;
  readonly review: ReviewPage;
  readonly timeline: TimelinePage;
  readonly policy: PolicyPage;
  readonly connection: Locator;

  readonly authenticator: Authenticator;

  constructor(page: Page, authenticator: Authenticator) {
    this.page = page;
    this.authenticator = authenticator;
    this.review = new ReviewPage(page);
    this.timeline = new TimelinePage(page);
    this.policy = new PolicyPage(page);
    this.connection = page.getByTestId('connection');
  }

  /** Opens the URL `flowgate serve` printed (with its token) and waits for the core. */
  async open(): Promise<void> {
    const url = process.env.FLOWGATE_E2E_URL;
    if (!url) throw new Error('FLOWGATE_E2E_URL is not set: run through `npm run test:e2e` (global-setup starts the core)');
    await this.page.goto(url);
    await expect(this.connection).toHaveAttribute('data-state', 'open');
  }

  /** Plays story `id` from the Demo menu; resolves once its submission's verdict is shown. */
  async playStory(id: number): Promise<void> {
    await this.page.getByTestId('demo-menu').click();
    await this.page.getByTestId(`demo-story-${id}`).click();
    await expect(this.page.getByTestId('story-hint')).toContainText(`Story ${id}:`);
    await this.review.waitForVerdict();
  }

  async tab(name: 'review' | 'timeline' | 'policy' | 'catalog'): Promise<void> {
    await this.page.getByTestId(`tab-${name}`).click();
    await expect(this.page.getByTestId(`tab-${name}`)).toHaveAttribute('aria-selected', 'true');
  }

  /**
   * Makes this page's authenticator hold the reviewer's passkey: registers it through the
   * reviewer menu the first time (as a new reviewer would), lends the same credential after.
   */
  async ensureReviewer(): Promise<void> {
    this.lent = true;
    const stored = storedReviewer();
    if (stored) return this.authenticator.add(stored);
    await this.page.getByTestId('reviewers-menu').click();
    const pop = this.page.getByTestId('reviewers-pop');
    await pop.getByTestId('reviewer-name').fill(REVIEWER);
    await pop.getByTestId('register-passkey').click();
    await expect(pop.getByTestId('reviewer').filter({ hasText: REVIEWER })).toBeVisible();
    await expect(this.page.getByTestId('reviewers-menu')).toContainText(`Reviewer: ${REVIEWER}`);
    await this.page.getByTestId('reviewers-menu').click();
    await this.keepReviewer();
  }

  private lent = false;

  /** Stores the reviewer's credential as this page's authenticator holds it now (its counter moved on). */
  async keepReviewer(): Promise<void> {
    if (!this.lent) return;
    const [credential] = await this.authenticator.credentials();
    if (credential) writeFileSync(reviewerFile(), JSON.stringify(credential));
  }

  /** Opens a submission from the inbox. */
  async openSubmission(id: string): Promise<void> {
    await this.page.locator(`[data-testid="inbox-item"][data-submission-id="${id}"]`).click();
    await expect(this.page.getByTestId('bound')).toBeVisible();
    await expect(this.review.selected).toHaveAttribute('data-submission-id', id);
  }

  /** A full-page screenshot in test-results/screens/<name>.png. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
  }

  /** A screenshot of what is on screen (the viewport only), for the README. */
  async viewportShot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: false });
  }
}
