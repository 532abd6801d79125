/**
 * The program a spare isolate runs before it is handed out, in a throwaway runtime: it walks the
 * interpreter's common paths (loops, objects, arrays and their callbacks, strings, classes,
 * closures, destructuring, try/catch, Map/Set, JSON, awaits) so the engine has compiled them
 * before a real run pays for it. It touches no service and leaves nothing behind.
 */
import { lowerSource } from '../lower/lower.ts';

const SOURCE = `
const rows = [];
for (let i = 0; i < 40; i++) rows.push({ id: 'r' + i, n: i * 7 % 13, tags: ['a', 'b'] });
const byN = new Map();
for (const r of rows) {
  const g = byN.get(r.n) ?? [];
  g.push(r.id);
  byN.set(r.n, g);
}
const sorted = [...rows].sort((a, b) => a.n - b.n).filter((r) => r.n > 3).map((r) => \`\${r.id}:\${r.n}\`);
const total = rows.reduce((s, r) => s + r.n, 0);
const { id, n = 0, ...rest } = rows[3];
const [first, , third] = sorted;
class Counter {
  count = 0;
  add(k: number) { this.count += k; return this; }
}
const c = new Counter().add(total).add(n);
let text = '';
try {
  text = JSON.stringify({ first, third, id, rest, c: c.count, keys: Object.keys(rest), set: [...new Set(sorted)].length });
  JSON.parse('{');
} catch (e) {
  text += String(e).length;
}
const parts = text.split(',').map((p) => p.trim().toUpperCase()).join('|').replace(/A/g, 'a');
const later = await Promise.resolve(parts.length);
const pick = (x?: number) => x ?? later;
return { pick: pick(), ok: parts.includes('|') && Number.isFinite(total) };
`;

let cached: string | undefined;

/** The warm-up program, lowered (JSON for the interpreter's `__fg_prepare`). */
export function warmupProgram(): string {
  if (cached) return cached;
  const lowered = lowerSource(SOURCE, { services: [] });
  if (!lowered.program) throw new Error(`the warm-up program does not lower: ${lowered.errors.map((e) => e.message).join('; ')}`);
  cached = JSON.stringify({ program: lowered.program });
  return cached;
}
