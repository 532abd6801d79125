/**
 * `flowgate verify [<audit log>] [--json]`: exit 0 intact, 2 tampered (names the first bad record),
 * 1 no log.
 * Checks the hash chain, then every decision signed with a reviewer's passkey against the
 * reviewers registered on the log (audit/verify-decisions.ts); local-development approvals
 * (`--approve`) are counted and named, not failed.
 */
import { existsSync } from 'node:fs';
import { auditLogPath } from '../audit/store.ts';
import { verifyDecisions } from '../audit/verify-decisions.ts';
import { verifyLog } from '../audit/verify.ts';
import { dataDir } from '../service/data-dir.ts';
import { BadInput, EXIT } from './common.ts';
import type { ParsedCommand } from './spec.ts';

export default async function verify({ values, positionals }: ParsedCommand): Promise<number> {
  const file = positionals[0] ?? auditLogPath(dataDir());
  if (!existsSync(file)) throw new BadInput(`no audit log at ${file}`);
  const report = await verifyLog(file);
  // Signatures are checked on a log whose chain holds (a broken chain is already the answer).
  const decisions = report.ok ? await verifyDecisions(file) : undefined;
  const ok = report.ok && decisions?.ok === true;
  if (values.json) {
    process.stdout.write(JSON.stringify({ ...report, ok, ...(decisions ? { decisions } : {}) }) + '\n');
    return ok ? EXIT.ok : EXIT.deny;
  }
  if (!report.ok) {
    process.stdout.write(`${file}: TAMPERED at record ${report.firstBad.seq} (line ${report.firstBad.line}): ${report.firstBad.problem}\n`);
    return EXIT.deny;
  }
  if (!decisions) return EXIT.deny;
  const { counts, reviewers, problems } = decisions;
  if (problems.length) {
    const first = problems[0];
    process.stdout.write(`${file}: TAMPERED at record ${first.seq} (line ${first.seq + 1}): ${first.problem}\n`);
    for (const p of problems.slice(1)) process.stdout.write(`  also record ${p.seq}: ${p.problem}\n`);
    return EXIT.deny;
  }
  process.stdout.write(`${file}: intact (${report.records} records; last hash ${report.lastHash})\n`);
  process.stdout.write(`  decisions: ${counts.passkey} signed with a reviewer passkey (signatures verified)`
    + `, ${counts.dev} local-development approvals without a passkey (--approve)`
    + `, ${counts.system} by Flowgate (deadlines)`
    + (counts.unsigned ? `, ${counts.unsigned} unsigned (recorded before passkeys)` : '') + '\n');
  if (reviewers.length) process.stdout.write(`  reviewers: ${reviewers.map((r) => `${r.name} (since ${r.registeredAt})`).join(', ')}\n`);
  return EXIT.ok;
}
