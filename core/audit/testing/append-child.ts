/**
 * Child process for the many-writers test: appends `count` events to one log, in batches, as a
 * `flowgate run` does beside a running workbench. Usage: node append-child.ts <log> <name> <count>
 */
import { AuditLog } from '../store.ts';
import { Redactor } from '../redact.ts';

const [file, name, count] = process.argv.slice(2);
const log = AuditLog.open(file, { redactor: new Redactor({ redactLabels: [] }), maxBatchBytes: 8 * 1024 });
for (let i = 0; i < Number(count); i++) {
  log.append({ time: new Date().toISOString(), traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), kind: 'console', actor: `agent:${name}`, name: 'console', data: { writer: name, i, padding: 'x'.repeat(200) } });
  if (i % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
}
await log.close();
