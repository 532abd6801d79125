/** The Policy view: pick a policy, edit its JSON in Monaco, see validation. */
import { expect, type Locator, type Page } from '@playwright/test';
import { replaceWord } from './monaco.ts';

export class PolicyPage {
  readonly page: Page;
  readonly error: Locator;
  readonly status: Locator;
  readonly editor: Locator;

  constructor(page: Page) {
    this.page = page;
    this.error = page.getByTestId('policy-error');
    this.status = page.getByTestId('policy-status');
    this.editor = page.getByTestId('policy-view').locator('.monaco-editor');
  }

  async open(name: string): Promise<void> {
    await this.page.getByTestId('policy-open').selectOption(name);
    await expect(this.editor.locator('.view-line').first()).toBeVisible();
    await expect(this.status).toHaveText('valid');
  }

  /** Replaces a word of the JSON as a person would. */
  async replaceWord(word: string, replacement: string): Promise<void> {
    await replaceWord(this.page, this.editor, word, replacement);
  }
}
