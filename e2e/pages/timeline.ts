/** The Timeline: traces on the left, a virtualized table of events. */
import { expect, type Locator, type Page } from '@playwright/test';

export class TimelinePage {
  readonly page: Page;
  readonly table: Locator;
  readonly rows: Locator;

  constructor(page: Page) {
    this.page = page;
    this.table = page.getByTestId('timeline');
    this.rows = page.getByTestId('timeline-row');
  }

  /** The rows of one kind (`decision`, `api.call`, `run.end`…), optionally of one trace. */
  rowsOf(kind: string, traceId?: string): Locator {
    const sel = `[data-kind="${kind}"]${traceId ? `[data-trace-id="${traceId}"]` : ''}`;
    return this.rows.and(this.page.locator(sel));
  }

  async expectRow(kind: string, text: string | RegExp, traceId?: string): Promise<void> {
    await expect(this.rowsOf(kind, traceId).filter({ hasText: text }).first()).toBeVisible();
  }
}
