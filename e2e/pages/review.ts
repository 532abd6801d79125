/**
 * The review screen: the verdict badge, the reasons, the Monaco editor with its markers, the
 * decision panel and the run panel.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { replaceWord } from './monaco.ts';

export type Verdict = 'allow' | 'needs-approval' | 'deny';

export class ReviewPage {
  readonly page: Page;
  readonly verdict: Locator;
  readonly editor: Locator;
  readonly reasons: Locator;
  readonly approveButton: Locator;
  readonly denyButton: Locator;
  readonly decisionReason: Locator;
  readonly decision: Locator;
  readonly runButton: Locator;
  readonly runStatus: Locator;
  /** The Decide panel, carrying the id of the submission it decides. */
  readonly selected: Locator;
  readonly state: Locator;
  readonly boundProgram: Locator;
  readonly boundFlows: Locator;
  readonly boundPolicy: Locator;
  readonly decideError: Locator;

  constructor(page: Page) {
    this.page = page;
    this.verdict = page.getByTestId('verdict');
    this.editor = page.getByTestId('program-editor');
    this.reasons = page.getByTestId('reason');
    this.approveButton = page.getByTestId('approve');
    this.denyButton = page.getByTestId('deny');
    this.decisionReason = page.getByTestId('decision-reason');
    this.decision = page.getByTestId('decision');
    this.runButton = page.getByTestId('run');
    this.runStatus = page.getByTestId('run-status');
    this.selected = page.getByTestId('decide-panel');
    this.state = page.getByTestId('submission-state');
    this.boundProgram = page.getByTestId('bound-program');
    this.boundFlows = page.getByTestId('bound-flow');
    this.boundPolicy = page.getByTestId('bound-policy');
    this.decideError = page.getByTestId('decide-error');
  }

  /** Waits until a verdict is shown and no analysis is in flight. */
  async waitForVerdict(): Promise<void> {
    await expect(this.verdict).toHaveAttribute('data-verdict', /^(allow|needs-approval|deny)$/);
    await expect(this.verdict).not.toHaveClass(/badge-pending/);
  }

  async expectVerdict(verdict: Verdict): Promise<void> {
    await expect(this.verdict).toHaveAttribute('data-verdict', verdict);
    await expect(this.verdict).not.toHaveClass(/badge-pending/);
  }

  /** The reasons listed with a given verdict. */
  reasonsWith(verdict: Verdict): Locator {
    return this.reasons.and(this.page.locator(`[data-verdict="${verdict}"]`));
  }

  /** The editor's rendered line holding `text` (Monaco renders only visible lines). */
  editorLine(text: string): Locator {
    return this.editor.locator('.view-line', { hasText: text }).first();
  }

  /** The 1-based line number Monaco shows beside the rendered line holding `text`. */
  async lineNumberOf(text: string): Promise<number> {
    await expect(this.editorLine(text)).toBeVisible();
    const top = await this.top(this.editorLine(text));
    const numbers = this.editor.locator('.line-numbers');
    for (const n of await numbers.all()) {
      if (Math.abs((await this.top(n)) - top) < 2) return Number((await n.textContent())?.trim());
    }
    throw new Error(`no line number beside the line holding ${text}`);
  }

  /** Waits for a glyph-margin marker of this kind beside the rendered line holding `text`. */
  async expectMarkerOnLine(kind: 'deny' | 'approval', text: string): Promise<void> {
    const glyphs = this.editor.locator(`.fg-glyph-${kind}`);
    await expect(glyphs.first()).toBeVisible();
    const line = await this.box(this.editorLine(text));
    await expect
      .poll(
        async () => {
          const boxes = await Promise.all((await glyphs.all()).map((g) => this.box(g)));
          // The glyph's middle lies within the line's band.
          return boxes.some((b) => b.y + b.height / 2 >= line.y && b.y + b.height / 2 <= line.y + line.height);
        },
        { message: `a ${kind} marker beside the line holding ${text}` },
      )
      .toBe(true);
  }

  /** Replaces a word of the program as a person would; waits until the editor shows it. */
  async replaceWord(word: string, replacement: string): Promise<void> {
    await replaceWord(this.page, this.editor, word, replacement);
    await expect(this.editorLine(replacement)).toBeVisible();
  }

  /** Approves the open submission with `reason`, signing with the page's passkey; waits for the recorded decision. */
  async approve(reason: string): Promise<void> {
    await this.decisionReason.fill(reason);
    await expect(this.approveButton).toBeEnabled();
    await this.approveButton.click();
    await expect(this.decision).toContainText('Approved');
  }

  /** The id of the submission the review shows. */
  async submissionId(): Promise<string> {
    await expect(this.selected).toHaveAttribute('data-submission-id', /\w+/);
    return (await this.selected.getAttribute('data-submission-id')) ?? '';
  }

  async run(): Promise<void> {
    await expect(this.runButton).toBeEnabled();
    await this.runButton.click();
  }

  async expectRunStatus(status: string): Promise<void> {
    await expect(this.runStatus).toHaveAttribute('data-status', status, { timeout: 60_000 });
  }

  private async box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await locator.boundingBox();
    if (!box) throw new Error('element not rendered');
    return box;
  }

  private async top(locator: Locator): Promise<number> {
    return (await this.box(locator)).y;
  }
}
