/**
 * The bench's harness (no core needed): the Timeline with N synthetic events (`?n=100000`).
 * `window.__perf.scrollFrames()` scrolls the list top to bottom and back and resolves the frame
 * times (ms between animation frames); `window.__perf.openTrace(n)` loads a fresh trace of n
 * events and resolves the time until it is on screen (rows built, rendered, painted).
 * `window.__perf.ready` is true once the first render is painted.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { memoryCache } from './db/traces.ts';
import { createTimelineStore } from './store/timeline.ts';
import { byTrace, syntheticRecords } from './views/synthetic.ts';
import { Timeline } from './views/Timeline.tsx';
import './styles/app.css';

declare global {
  interface Window {
    __perf?: {
      ready: boolean;
      n: number;
      scrollFrames(options?: { steps?: number; stepPx?: number }): Promise<number[]>;
      openTrace(n: number): Promise<number>;
    };
  }
}

const n = Math.max(0, Number(new URLSearchParams(location.search).get('n') ?? '100000') || 0);
const records = syntheticRecords(n, { perTrace: 50 });
const store = createTimelineStore(undefined, memoryCache());
store.getState().replace(byTrace(records));

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

function scroller(): HTMLElement {
  const el = document.querySelector<HTMLElement>('[data-testid="timeline"]');
  if (!el) throw new Error('timeline not rendered');
  return el;
}

async function scrollFrames(options: { steps?: number; stepPx?: number } = {}): Promise<number[]> {
  const el = scroller();
  const steps = options.steps ?? 240;
  const max = el.scrollHeight - el.clientHeight;
  // Big jumps (like a dragged scrollbar) half the time, wheel-sized steps otherwise.
  const stepPx = options.stepPx ?? Math.max(120, Math.floor(max / steps));
  const frames: number[] = [];
  el.scrollTop = 0;
  let last = await nextFrame();
  for (let i = 0; i < steps; i++) {
    el.scrollTop = i % 2 === 0 ? Math.min(max, el.scrollTop + stepPx) : Math.min(max, el.scrollTop + 90);
    const now = await nextFrame();
    frames.push(now - last);
    last = now;
  }
  for (let i = 0; i < steps / 4; i++) {
    el.scrollTop = Math.max(0, el.scrollTop - stepPx * 4);
    const now = await nextFrame();
    frames.push(now - last);
    last = now;
  }
  return frames;
}

let salt = 1;
async function openTrace(count: number): Promise<number> {
  const fresh = syntheticRecords(count, { perTrace: count, firstSeq: 10_000_000 * salt, traceSalt: salt });
  salt++;
  const traceId = fresh[0]?.traceId ?? '';
  const t0 = performance.now();
  // Like the workbench opening a trace: added beside the traces already loaded, then filtered to.
  store.getState().replace({ ...store.getState().records, [traceId]: fresh });
  store.getState().setFilter('traceId', traceId);
  // Wait until React has committed the rows and the browser has painted them.
  for (;;) {
    await nextFrame();
    const first = document.querySelector('[data-testid="timeline-row"]');
    if (first?.getAttribute('data-trace-id') === traceId) break;
  }
  await nextFrame();
  return performance.now() - t0;
}

window.__perf = { ready: false, n, scrollFrames, openTrace };

const root = document.getElementById('root');
if (!root) throw new Error('perf.html has no #root');
createRoot(root).render(
  <StrictMode>
    <div className="app">
      <div className="app-body">
        <main className="content">
          <Timeline store={store} />
        </main>
      </div>
    </div>
  </StrictMode>,
);
void nextFrame().then(nextFrame).then(() => {
  if (window.__perf) window.__perf.ready = true;
});
