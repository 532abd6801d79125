/** The Timeline: traces on the left, the open trace's waterfall, a virtualized table of events, the detail of one. */
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

  /** Picks a value of a filter (`label`, `destination`, `service`…); waits until the count says it applied. */
  async filter(name: 'trace' | 'agent' | 'service' | 'label' | 'destination' | 'decision', value: string): Promise<void> {
    const before = await this.page.getByTestId('timeline-count').textContent();
    await this.page.getByTestId(`filter-${name}`).selectOption(value);
    await expect(this.page.getByTestId(`filter-${name}`)).toHaveValue(value);
    if (value) await expect(this.page.getByTestId('timeline-count')).not.toHaveText(before ?? '');
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('filter-text').fill(text);
    await expect(this.page.getByTestId('filter-text')).toHaveValue(text);
  }

  async clearFilters(): Promise<void> {
    for (const name of ['label', 'destination', 'service', 'decision']) await this.page.getByTestId(`filter-${name}`).selectOption('');
    await this.search('');
  }

  /** The waterfall's spans, optionally of one kind. */
  spans(kind?: string): Locator {
    const spans = this.page.getByTestId('span');
    return kind ? spans.and(this.page.locator(`[data-kind="${kind}"]`)) : spans;
  }

  /** Opens the detail of a row. */
  async openRow(row: Locator): Promise<Locator> {
    await row.click();
    const detail = this.page.getByTestId('timeline-detail');
    await expect(detail).toBeVisible();
    return detail;
  }
}
