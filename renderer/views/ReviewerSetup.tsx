/**
 * Registering the reviewer's passkey: a name, then the browser's passkey prompt. The first
 * reviewer is registered at once; a later one is endorsed by an existing reviewer's passkey
 * (the browser asks for it right after). Presentational: the store does the ceremony.
 */
import { useState } from 'react';
import type { ReviewerView } from '../../core/service/protocol.ts';

export interface ReviewerSetupProps {
  reviewers: ReviewerView[];
  busy: boolean;
  error?: string;
  onRegister(name: string): void;
}

export function ReviewerSetup({ reviewers, busy, error, onRegister }: ReviewerSetupProps) {
  const [name, setName] = useState('');
  const first = reviewers.length === 0;
  return (
    <div className="reviewer-setup" data-testid="reviewer-setup">
      <p className="small">
        {first
          ? 'Decisions are signed with a reviewer’s passkey (this device’s or a security key), which no agent can read from disk. Register yours to decide.'
          : `Reviewers: ${reviewers.map((r) => r.name).join(', ')}. A new passkey must be endorsed by one of theirs: the browser asks for it after creating yours.`}
      </p>
      <div className="decide-row">
        <input value={name} placeholder="Your name (shown on every decision)" onChange={(e) => setName(e.target.value)} data-testid="reviewer-name" />
        <button type="button" className="btn btn-primary" disabled={busy || !name.trim()} onClick={() => onRegister(name.trim())} data-testid="register-passkey">
          {busy ? 'Waiting for the passkey…' : 'Register passkey'}
        </button>
      </div>
      {error && <p className="error" data-testid="reviewer-error">{error}</p>}
    </div>
  );
}
