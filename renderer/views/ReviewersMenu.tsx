/** The header's reviewer menu: who may decide (registered passkeys) and registering yours. */
import { useState } from 'react';
import { useFlowgate, useStores } from '../store/hooks.ts';
import { ReviewerSetup } from './ReviewerSetup.tsx';

export function ReviewersMenu() {
  const stores = useStores();
  const reviewers = useFlowgate('reviewers', (s) => s.reviewers);
  const registered = useFlowgate('reviewers', (s) => s.registered);
  const busy = useFlowgate('reviewers', (s) => s.busy);
  const error = useFlowgate('reviewers', (s) => s.error);
  const [open, setOpen] = useState(false);
  const label = registered ? `Reviewer: ${registered.name}` : reviewers.length ? `${reviewers.length} reviewer passkey${reviewers.length > 1 ? 's' : ''}` : 'No reviewer passkey';
  return (
    <div className="reviewers-menu">
      <button type="button" className={`btn btn-demo${reviewers.length ? '' : ' btn-warn'}`} onClick={() => setOpen(!open)} data-testid="reviewers-menu" aria-expanded={open}>
        {label}
      </button>
      {open && (
        <div className="reviewers-pop panel" data-testid="reviewers-pop">
          <h3 className="panel-title">Reviewers</h3>
          {reviewers.length > 0 && (
            <ul className="reviewer-list">
              {reviewers.map((r) => (
                <li key={r.credentialId} data-testid="reviewer">
                  <strong>{r.name}</strong> <span className="muted small">since {new Date(r.registeredAt).toLocaleString()}{r.endorsedBy ? `, endorsed by ${r.endorsedBy}` : ''}</span>
                </li>
              ))}
            </ul>
          )}
          <ReviewerSetup reviewers={reviewers} busy={busy} error={error} onRegister={(name) => void stores.reviewers.getState().register(name)} />
        </div>
      )}
    </div>
  );
}
