/** `flowgate verify [<audit log>] [--json]`: exit 0 intact, 2 tampered (names the first bad record), 1 no log. */
import { existsSync } from 'node:fs';
import { auditLogPath } from '../audit/store.ts';
import { verifyLog } from '../audit/verify.ts';
import { dataDir } from '../service/data-dir.ts';
import { BadInput, EXIT } from './common.ts';
import type { ParsedCommand } from './spec.ts';

export default async function verify({ values, positionals }: ParsedCommand): Promise<number> {
  const file = positionals[0] ?? auditLogPath(dataDir());
  if (!existsSync(file)) throw new BadInput(`no audit log at ${file}`);
  const report = await verifyLog(file);
  if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
  else if (report.ok) process.stdout.write(`${file}: intact (${report.records} records; last hash ${report.lastHash})\n`);
  else process.stdout.write(`${file}: TAMPERED at record ${report.firstBad.seq} (line ${report.firstBad.line}): ${report.firstBad.problem}\n`);
  return report.ok ? EXIT.ok : EXIT.deny;
}
