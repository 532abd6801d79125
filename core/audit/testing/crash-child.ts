/**
 * Child process for the crash-safety test: appends events forever, printing `ack <seq>` for every
 * record whose `appendAndWait` resolved. The parent kills it with SIGKILL mid-stream.
 * Usage: node crash-child.ts <log file>
 */
import { AuditLog } from '../store.ts';
import { Redactor } from '../redact.ts';

const file = process.argv[2];
const log = AuditLog.open(file, { redactor: new Redactor({ redactLabels: [] }), maxBatchBytes: 64 * 1024 });
const padding = 'x'.repeat(2000); // big lines, so a kill often lands inside a write

async function main(): Promise<void> {
  for (let batch = 0; ; batch++) {
    const waits: Array<Promise<{ seq: number }>> = [];
    for (let k = 0; k < 50; k++) {
      waits.push(log.appendAndWait({
        time: new Date().toISOString(), traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), kind: 'console',
        actor: 'agent:crash', name: 'console', data: { batch, k, padding },
      }));
    }
    const done = await Promise.all(waits);
    process.stdout.write(done.map((r) => `ack ${r.seq}\n`).join(''));
  }
}

void main();
