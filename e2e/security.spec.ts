/** Browser mode refuses what is not the workbench itself, seen from a real browser. */
import { expect, test } from '@playwright/test';

const url = () => {
  const value = process.env.FLOWGATE_E2E_URL;
  if (!value) throw new Error('FLOWGATE_E2E_URL is not set: run through `npm run test:e2e`');
  return new URL(value);
};

test('without the token the page is refused, with a wrong one too', async ({ page }) => {
  const missing = await page.goto(url().origin + '/');
  expect(missing?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('open the address');
  const wrong = await page.goto(url().origin + '/?token=' + '0'.repeat(64));
  expect(wrong?.status()).toBe(403);
});

test('a page of another origin cannot open the RPC socket, even knowing the token', async ({ page }) => {
  await page.goto('about:blank');
  const rpc = `ws://${url().host}/rpc${url().search}`;
  const outcome = await page.evaluate(
    (address) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(address);
        ws.onopen = () => resolve('open');
        ws.onclose = () => resolve('refused');
      }),
    rpc,
  );
  expect(outcome).toBe('refused');
});
