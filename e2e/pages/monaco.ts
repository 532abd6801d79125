/** Monaco, driven the way a person does it. */
import type { Locator, Page } from '@playwright/test';

/**
 * Replaces one word by double-clicking it (Monaco selects the word under the pointer) and
 * typing over it. No brackets or quotes are typed, so auto-closing cannot interfere.
 */
export async function replaceWord(page: Page, editor: Locator, word: string, replacement: string): Promise<void> {
  const token = editor.locator('.view-line span span', { hasText: word }).first();
  const box = await token.boundingBox();
  const text = (await token.textContent()) ?? '';
  if (!box || !text) throw new Error(`the word ${word} is not on screen`);
  // The middle of the word itself, not of the whole token (`'#general'`).
  const at = text.indexOf(word) + word.length / 2;
  await page.mouse.dblclick(box.x + (box.width * at) / text.length, box.y + box.height / 2);
  await page.keyboard.type(replacement);
}
