/** Monaco, driven the way a person does it. */
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Replaces one word by double-clicking it (Monaco selects the word under the pointer) and
 * typing over it. No brackets or quotes are typed, so auto-closing cannot interfere. Monaco
 * renders a line first as plain text and then again once tokenized, so the word's place is
 * measured until it holds still long enough to be read.
 */
export async function replaceWord(page: Page, editor: Locator, word: string, replacement: string): Promise<void> {
  let target: { x: number; y: number } | undefined;
  await expect(async () => {
    const token = editor.locator('.view-line span span', { hasText: word }).first();
    const box = await token.boundingBox({ timeout: 1_000 });
    const text = (await token.textContent({ timeout: 1_000 })) ?? '';
    if (!box || !text.includes(word)) throw new Error(`the word ${word} is not on screen yet`);
    // The middle of the word itself, not of the whole token (`'#general'`).
    const at = text.indexOf(word) + word.length / 2;
    target = { x: box.x + (box.width * at) / text.length, y: box.y + box.height / 2 };
  }).toPass({ timeout: 15_000 });
  if (!target) throw new Error(`the word ${word} is not on screen`);
  await page.mouse.dblclick(target.x, target.y);
  await page.keyboard.type(replacement);
}
