/** `flowgate export --otlp <traceId|all> [<audit log>] [--out file]`: OTLP/JSON for Jaeger or Grafana Tempo. */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportOtlpFile } from '../audit/otlp.ts';
import { auditLogPath } from '../audit/store.ts';
import { isTraceId } from '../audit/trace.ts';
import { dataDir } from '../service/environment.ts';
import { BadInput, EXIT } from './common.ts';

export default async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { otlp: { type: 'string' }, out: { type: 'string' } } });
  const which = values.otlp;
  if (!which) throw new BadInput('export needs --otlp <traceId|all>');
  if (which !== 'all' && !isTraceId(which)) throw new BadInput(`--otlp: "${which}" is neither "all" nor a trace id (32 hex digits)`);
  const file = positionals[0] ?? auditLogPath(dataDir());
  if (!existsSync(file)) throw new BadInput(`no audit log at ${file}`);
  const request = await exportOtlpFile(file, which);
  const spans = request.resourceSpans.reduce((n, r) => n + r.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0);
  if (which !== 'all' && spans === 0) throw new BadInput(`no trace ${which} in ${file}`);
  const text = JSON.stringify(request);
  if (values.out) {
    writeFileSync(values.out, text + '\n');
    process.stderr.write(`wrote ${spans} spans to ${values.out}\n`);
  } else process.stdout.write(text + '\n');
  return EXIT.ok;
}
