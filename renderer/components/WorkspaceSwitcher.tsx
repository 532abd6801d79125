/**
 * The header's workspace indicator: which APIs the workbench serves (the demo company or a
 * workspace directory), and a menu to switch to another one this core has served or to open a
 * directory with a flowgate.json.
 */
import { useEffect, useState } from 'react';
import { useFlowgate, useStores } from '../store/hooks.ts';

export function WorkspaceSwitcher() {
  const stores = useStores();
  const current = useFlowgate('workspace', (s) => s.current);
  const known = useFlowgate('workspace', (s) => s.known);
  const switching = useFlowgate('workspace', (s) => s.switching);
  const error = useFlowgate('workspace', (s) => s.error);
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState('');

  useEffect(() => {
    void stores.workspace.getState().refresh();
  }, [stores]);

  const choose = (target: string): void => {
    void stores.workspace.getState().open(target).then(() => {
      if (!stores.workspace.getState().error) setOpen(false);
    });
  };
  const keyOf = (w: { dir?: string; demo: boolean; name: string }) => w.dir ?? (w.demo ? 'demo' : w.name);
  const title = current ? `${current.services.length} services, ${current.operations} operations${current.dir ? ` — ${current.dir}` : ''}` : '';

  return (
    <div className="workspace-switcher" data-testid="workspace">
      <button className="workspace-current" onClick={() => setOpen(!open)} title={title} aria-expanded={open} data-testid="workspace-current">
        {current ? `workspace · ${current.name}` : 'workspace…'}
      </button>
      {open && (
        <div className="workspace-menu" role="menu" data-testid="workspace-menu">
          {[...known, ...(known.some((w) => w.demo) ? [] : [{ name: 'demo', demo: true, services: [], operations: 0 }])].map((w) => (
            <button key={keyOf(w)} role="menuitem" disabled={switching || (current !== undefined && keyOf(w) === keyOf(current))} onClick={() => choose(keyOf(w))}>
              {w.name}{w.dir ? <span className="workspace-dir"> {w.dir}</span> : null}
            </button>
          ))}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (dir.trim()) choose(dir.trim());
            }}
          >
            <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/path/to/workspace (with flowgate.json)" aria-label="Workspace directory" data-testid="workspace-dir" />
            <button type="submit" disabled={switching || !dir.trim()} data-testid="workspace-open">Open</button>
          </form>
          {error && <div className="workspace-error" role="alert" data-testid="workspace-error">{error}</div>}
        </div>
      )}
    </div>
  );
}
