/**
 * Audit trail at scale: append throughput with the hash chain, verify throughput, and queries at
 * 1,000,000 stored events (FLOWGATE_BENCH_AUDIT_EVENTS to change the count). Generates into a
 * temporary directory and deletes it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditIndex, AuditLog, Redactor, verifyLog } from '../core/audit/index.ts';
import { syntheticEvent } from '../core/audit/testing/events.ts';
import { median, type BenchSection } from './report.ts';

const traceId = (t: number) => `f${t.toString(16).padStart(31, '0')}`;
const spanId = (s: number) => `e${s.toString(16).padStart(15, '0')}`;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export default async function auditBench(): Promise<BenchSection> {
  const events = Number(process.env.FLOWGATE_BENCH_AUDIT_EVENTS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-audit-bench-'));
  const file = join(dir, 'audit.log');
  try {
    // Append: redaction (a few registered values) + canonical encoding + SHA-256 chain + group commit.
    const redactor = new Redactor({ redactLabels: ['salesforce.customerPII', 'workday.compensation'] });
    redactor.register('ana.diaz@acme.example', 'salesforce.customerPII');
    redactor.register('123000', 'workday.compensation');
    redactor.register('sk_live_51Habc', 'vault.secret');
    const log = AuditLog.open(file, { redactor });
    const t0 = performance.now();
    for (let i = 0; i < events; i++) log.append(syntheticEvent(i, traceId, spanId));
    await log.flush();
    const appendMs = performance.now() - t0;
    await log.close();
    const bytes = statSync(file).size;

    const t1 = performance.now();
    const verified = await verifyLog(file);
    const verifyMs = performance.now() - t1;
    if (!verified.ok || verified.records !== events) throw new Error(`bench log did not verify: ${JSON.stringify(verified)}`);

    const t2 = performance.now();
    const built = await AuditIndex.open(file, { rebuild: true });
    const buildMs = performance.now() - t2;
    const index = await AuditIndex.open(file); // from the sidecar, as a new process would
    const openMs = index.stats.openMs;
    if (index.stats.rebuilt || index.records !== built.records) throw new Error('sidecar was not reused');

    const traces = index.listTraces({ limit: 1 }).total;
    const tc = performance.now();
    const cold = await AuditIndex.open(file);
    cold.readTrace(traceId(Math.floor(traces / 2)));
    const coldTraceMs = performance.now() - tc;
    const traceTimes: number[] = [];
    for (let k = 0; k < 21; k++) {
      const id = traceId(Math.floor(((k * 7919) % 1000) / 1000 * traces));
      const s = performance.now();
      const got = index.readTrace(id);
      traceTimes.push(performance.now() - s);
      if (got.length === 0) throw new Error('trace not found');
    }
    const timed = (fn: () => number): { ms: number; total: number } => {
      const times: number[] = [];
      let total = 0;
      for (let k = 0; k < 5; k++) {
        const s = performance.now();
        total = fn();
        times.push(performance.now() - s);
      }
      return { ms: median(times), total };
    };
    const byLabel = timed(() => index.find({ label: 'salesforce.customerPII' }, { limit: 1000 }).total);
    const byService = timed(() => index.find({ service: 'slack' }, { limit: 1000 }).total);
    const byKind = timed(() => index.find({ kind: 'console' }, { limit: 1000 }).total);
    const traceMs = median(traceTimes);
    const appendRate = events / (appendMs / 1000);
    const sidecarBytes = statSync(`${file}.idx`).size;

    return {
      title: `Audit trail (${fmt(events)} events, ${fmt(bytes / 2 ** 20, 0)} MiB log)`,
      rows: [
        { metric: 'append with redaction + hash chain (events/s)', value: fmt(appendRate), goal: '≥ 50,000', met: appendRate >= 50_000 },
        { metric: 'verify (records/s)', value: fmt(events / (verifyMs / 1000)) },
        { metric: 'index build, full scan (ms)', value: fmt(buildMs) },
        { metric: 'index open from sidecar (ms)', value: fmt(openMs, 1) },
        { metric: `load one trace (ms, median of 21, ~${fmt(events / traces)} events)`, value: fmt(traceMs, 2), goal: '≤ 100', met: traceMs <= 100 },
        { metric: 'cold: open index from sidecar + load one trace (ms)', value: fmt(coldTraceMs, 1), goal: '≤ 100', met: coldTraceMs <= 100 },
        { metric: `filter by label: count ${fmt(byLabel.total)} + first 1,000 records (ms)`, value: fmt(byLabel.ms, 2), goal: '≤ 100', met: byLabel.ms <= 100 },
        { metric: `filter by service: count ${fmt(byService.total)} + first 1,000 records (ms)`, value: fmt(byService.ms, 2), goal: '≤ 100', met: byService.ms <= 100 },
        { metric: `filter by kind: count ${fmt(byKind.total)} + first 1,000 records (ms)`, value: fmt(byKind.ms, 2) },
      ],
      notes: [
        'Append: AuditLog.append of synthetic events (~10 per trace) with a Redactor holding 3 values; group commit in 1 MiB batches; ends when flush() reports every line written to the OS.',
        `Query figures use an already open AuditIndex (typed arrays of record offsets, trace/service/kind ordinals, label postings). Opening it from its sidecar (${fmt(sidecarBytes / 2 ** 20, 1)} MiB) is the "index open" row; a missing or stale sidecar costs one full scan ("index build"), done once, then only new records are indexed.`,
        'Filters return the total match count plus the first page of 1,000 records read from the log by positional reads and parsed.',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: node bench/audit.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatSection } = await import('./report.ts');
  console.log(formatSection(await auditBench()));
}
