/** The policy's verdict: allow (green) · needs approval (amber) · deny (red). */
import type { Verdict } from '../../core/policy/types.ts';

const TEXT: Record<Verdict, string> = { allow: 'allow', 'needs-approval': 'needs approval', deny: 'deny' };

export function VerdictBadge({ verdict, testId, pending, small }: { verdict?: Verdict; testId?: string; pending?: boolean; small?: boolean }) {
  return (
    <span
      className={`badge verdict-${verdict ?? 'none'}${pending ? ' badge-pending' : ''}${small ? ' badge-small' : ''}`}
      data-testid={testId}
      data-verdict={verdict ?? ''}
      title={pending ? 'analysing…' : undefined}
    >
      {verdict ? TEXT[verdict] : '—'}
    </span>
  );
}
