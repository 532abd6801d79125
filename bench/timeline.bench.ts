/**
 * The workbench timeline in a real Chromium (issue 4): frame times while scrolling 100k events
 * (goal: no frame over 50 ms) and the time to open a 10k-event trace (goal ≤ 300 ms). Drives
 * renderer/perf.html — the real Timeline component over synthetic events, no core — served
 * from the built renderer on loopback.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureRenderer, RENDERER_DIR } from '../core/cli/serve.ts';
import { CHROMIUM_ARGS } from '../e2e/playwright.config.ts';
import { median, percentile, type BenchSection } from './report.ts';

interface PerfApi {
  ready: boolean;
  scrollFrames(options?: { steps?: number; stepPx?: number }): Promise<number[]>;
  openTrace(n: number): Promise<number>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.ttf': 'font/ttf', '.svg': 'image/svg+xml' };

function chromiumPath(): string | undefined {
  const candidates = [process.env.FLOWGATE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

export default async function timelineBench(): Promise<BenchSection> {
  const title = 'Workbench timeline in Chromium (perf.html, synthetic events)';
  const executablePath = chromiumPath();
  if (!executablePath) return { title, rows: [], notes: ['skipped: no Chromium found (set FLOWGATE_CHROMIUM or install chromium)'] };
  ensureRenderer({ log: (line) => process.stderr.write(line + '\n'), ifStale: true });

  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(RENDERER_DIR, path || 'index.html');
    if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const loadStart = performance.now();
    await page.goto(`http://127.0.0.1:${port}/perf.html?n=100000`);
    await page.waitForFunction(() => (window as unknown as { __perf?: PerfApi }).__perf?.ready === true, undefined, { timeout: 60_000 });
    const firstPaint = performance.now() - loadStart;
    // One pass to warm the JIT and the row layout, as a user's first scroll would; then measure.
    await page.evaluate(() => (window as unknown as { __perf: PerfApi }).__perf.scrollFrames({ steps: 60 }));
    const frames = await page.evaluate(() => (window as unknown as { __perf: PerfApi }).__perf.scrollFrames());
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) opens.push(await page.evaluate(() => (window as unknown as { __perf: PerfApi }).__perf.openTrace(10_000)));
    const worst = Math.max(...frames);
    const openMedian = median(opens);
    return {
      title,
      rows: [
        { metric: 'load 100k events and first paint', value: `${firstPaint.toFixed(0)} ms` },
        { metric: `scroll 100k events: frames measured`, value: String(frames.length) },
        { metric: 'scroll: median frame', value: `${median(frames).toFixed(1)} ms` },
        { metric: 'scroll: p95 frame', value: `${percentile(frames, 95).toFixed(1)} ms` },
        { metric: 'scroll: worst frame', value: `${worst.toFixed(1)} ms`, goal: '≤ 50 ms', met: worst <= 50 },
        { metric: 'open a 10k-event trace (median of 5)', value: `${openMedian.toFixed(1)} ms`, goal: '≤ 300 ms', met: openMedian <= 300 },
      ],
      notes: [`Headless Chromium (${executablePath}) with --disable-gpu; frame time = time between animation frames while the list scrolls top to bottom and back.`],
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
