/** The Demo menu: each story of SCENARIOS.md, played in one click. */
import { useEffect, useRef, useState } from 'react';
import type { DemoStory } from '../../core/service/protocol.ts';

export function DemoMenu({ stories, onPlay }: { stories: DemoStory[]; onPlay(id: number): void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div className="demo-menu" ref={root}>
      <button type="button" className="btn btn-demo" aria-expanded={open} aria-haspopup="menu" onClick={() => setOpen(!open)} data-testid="demo-menu">
        ▶ Demo stories
      </button>
      {open && (
        <ul className="demo-list" role="menu" data-testid="demo-list">
          {stories.length === 0 && <li className="muted demo-empty">No stories (is the core running the demo?)</li>}
          {stories.map((s) => (
            <li key={s.id} role="none">
              <button
                type="button"
                role="menuitem"
                className="demo-item"
                data-testid={`demo-story-${s.id}`}
                onClick={() => {
                  setOpen(false);
                  onPlay(s.id);
                }}
              >
                <span className="demo-num">{s.id}</span>
                <span className="demo-text">
                  <span className="demo-title">{s.title}</span>
                  <span className="demo-expected">{s.policy} · {s.expected}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
