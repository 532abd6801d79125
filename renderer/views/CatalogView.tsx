/** The catalog: each service's operations with verb, labels, destinations and approvals. */
import { useEffect, useState } from 'react';
import { useFlowgate, useStores } from '../store/hooks.ts';
import { catalogChoice, type CatalogName } from '../store/catalog.ts';
import type { OperationView } from '../../core/service/protocol.ts';

/** Case-insensitive: the operation's name or summary, any label it returns, any destination it names. */
export function matches(op: OperationView, q: string): boolean {
  if (!q) return true;
  const has = (text: string | undefined) => (text ?? '').toLowerCase().includes(q);
  return has(op.id) || has(op.summary) || op.labels.some(has) || op.fieldLabels.some((f) => f.labels.some(has)) || Object.values(op.destinations).some((d) => d.some(has));
}

export function CatalogView() {
  const stores = useStores();
  const [name, setName] = useState<CatalogName>('current');
  const view = useFlowgate('catalog', (s) => s.views[name]);
  const error = useFlowgate('catalog', (s) => s.error);
  const [query, setQuery] = useState('');

  useEffect(() => {
    void stores.catalog.getState().load(name);
  }, [stores, name]);

  const q = query.trim().toLowerCase();
  return (
    <div className="catalog-view" data-testid="catalog-view">
      <div className="toolbar">
        <div className="toolbar-left">
          <label className="inline-field">
            Catalog
            <select value={name} onChange={(e) => setName(catalogChoice(e.target.value))} data-testid="catalog-choose">
              <option value="current">served</option>
              <option value="demo">demo</option>
              <option value="demo-v2">demo-v2</option>
            </select>
          </label>
          <input className="filter-text" placeholder="Filter: operation, label, destination…" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="catalog-filter" />
        </div>
        {view && <span className="muted">{view.services.length} services · {view.labels.length} labels · {view.destinations.length} destinations</span>}
      </div>
      {error && <p className="error">{error}</p>}
      {!view && !error && <p className="muted">Loading…</p>}
      {view && q && !view.services.some((service) => service.operations.some((op) => matches(op, q))) && (
        <p className="muted catalog-empty" data-testid="catalog-empty">No operation, label or destination matches “{query.trim()}”.</p>
      )}
      <div className="catalog-services">
        {view?.services.map((service) => {
          const ops = service.operations.filter((op) => matches(op, q));
          if (ops.length === 0) return null;
          return (
            <section key={service.name} className="panel service" data-testid="catalog-service">
              <h3 className="panel-title">
                <code>{service.name}</code> <span className="muted">{service.title} · {service.host}</span>
              </h3>
              <table className="ops">
                <thead>
                  <tr><th>operation</th><th>verb</th><th>labels</th><th>destinations</th><th>approval</th></tr>
                </thead>
                <tbody>
                  {ops.map((op) => (
                    <tr key={op.id} data-testid="catalog-operation">
                      <td>
                        <code>{op.name}</code>
                        <div className="muted small">{op.method.toUpperCase()} {op.path}{op.summary ? ` — ${op.summary}` : ''}</div>
                      </td>
                      <td><span className="chip">{op.verb}</span></td>
                      <td>
                        {[...new Set([...op.labels, ...op.fieldLabels.flatMap((f) => f.labels)])].map((l) => (
                          <span key={l} className="chip chip-label" title={op.fieldLabels.filter((f) => f.labels.includes(l)).map((f) => f.path).join(', ') || 'whole response'}>{l}</span>
                        ))}
                      </td>
                      <td>
                        {Object.entries(op.destinations).map(([arg, dests]) => (
                          <div key={arg} className="small"><code>{arg}</code> → {dests.map((d) => <span key={d} className="chip chip-dest">{d}</span>)}</div>
                        ))}
                      </td>
                      <td className="small">{op.approval ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })}
      </div>
    </div>
  );
}
