/** `flowgate export --otlp <traceId|all> [<audit log>] [--out file]`: OTLP/JSON for Jaeger or Grafana Tempo. */
import { existsSync, writeFileSync } from 'node:fs';
import { exportOtlpFile } from '../audit/otlp.ts';
import { auditLogPath } from '../audit/store.ts';
import { dataDir } from '../service/data-dir.ts';
import { BadInput, EXIT } from './common.ts';
import type { ParsedCommand } from './spec.ts';
import { resolveTraceId } from './trace-id.ts';

export default async function exportCommand({ values, positionals }: ParsedCommand): Promise<number> {
  const which = (values.otlp as string).trim();
  const file = positionals[0] ?? auditLogPath(dataDir());
  if (!existsSync(file)) throw new BadInput(`no audit log at ${file}`);
  const target = which.toLowerCase() === 'all' ? 'all' : await resolveTraceId(file, which);
  const request = await exportOtlpFile(file, target);
  const spans = request.resourceSpans.reduce((n, r) => n + r.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0);
  const text = JSON.stringify(request);
  const out = values.out as string | undefined;
  if (out) {
    try {
      writeFileSync(out, text + '\n');
    } catch (error) {
      throw new BadInput(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`);
    }
    process.stderr.write(`wrote ${spans} spans to ${out}\n`);
  } else process.stdout.write(text + '\n');
  return EXIT.ok;
}
