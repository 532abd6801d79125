/**
 * The workbench's frame: open it with the token, wait for the core connection, play a demo
 * story, switch tabs. Every wait is on a state the page shows (no sleeps).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import { PolicyPage } from './policy.ts';
import { ReviewPage } from './review.ts';
import { TimelinePage } from './timeline.ts';

const SCREENS = join(import.meta.dirname, '..', '..', 'test-results', 'screens');

export class Workbench {
  readonly page: Page;
  readonly review: ReviewPage;
  readonly timeline: TimelinePage;
  readonly policy: PolicyPage;
  readonly connection: Locator;

  constructor(page: Page) {
    this.page = page;
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

  /** A full-page screenshot in test-results/screens/<name>.png. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
  }
}
