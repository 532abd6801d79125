/**
 * Large synthetic catalogs for benchmarks (e.g. tokens an agent reads with and without
 * `searchDocs`): clones a real catalog's operations with varied names and summaries.
 */
import type { Catalog, Operation, Service } from './types.ts';
import { buildCatalog } from './build.ts';

const VARIANTS: Array<[string, string]> = [
  ['Archived', 'in the archive'], ['Draft', 'among drafts'], ['Scheduled', 'scheduled for later'],
  ['Legacy', 'through the legacy v1 endpoint'], ['Bulk', 'in bulk'], ['Audited', 'from the audit trail'],
  ['Sandbox', 'in the sandbox environment'], ['Regional', 'for a single region'], ['Cached', 'from the cache'],
  ['Shared', 'shared with partners'], ['Team', 'for one team'], ['Personal', 'for the current user'],
  ['Exported', 'as an export'], ['Preview', 'as a preview'], ['Template', 'from templates'],
  ['History', 'with change history'], ['Snapshot', 'from a nightly snapshot'], ['Mirror', 'from the read mirror'],
  ['Beta', 'using the beta API'], ['Quarterly', 'aggregated per quarter'], ['Pending', 'awaiting review'],
  ['Deleted', 'in the recycle bin'], ['External', 'for external collaborators'], ['Internal', 'for internal use'],
];

function variantOf(op: Operation, round: number): Operation {
  const [suffix, phrase] = VARIANTS[(round - 1) % VARIANTS.length];
  const tag = round > VARIANTS.length ? `${suffix}${Math.ceil(round / VARIANTS.length)}` : suffix;
  const copy = structuredClone(op);
  copy.name = `${op.name}${tag}`;
  copy.id = `${op.service}.${copy.name}`;
  copy.path = `/${tag.toLowerCase()}${op.path}`;
  const summary = (op.summary ?? op.name).replace(/\.\s*$/, '');
  copy.summary = `${summary} ${phrase}.`;
  return copy;
}

/**
 * A catalog of exactly `size` operations (when `base` has any): `base`'s operations first,
 * then variants of them (`getAccountArchived`, …) round-robin across services, with
 * declarations regenerated. Smaller sizes keep the first `size` operations.
 */
export function synthesizeCatalog(base: Catalog, size: number): Catalog {
  const all = base.services.flatMap((s) => s.operations);
  const chosen: Operation[] = all.slice(0, size);
  for (let round = 1; chosen.length < size && all.length > 0; round++) {
    for (const op of all) {
      if (chosen.length >= size) break;
      chosen.push(variantOf(op, round));
    }
  }
  const services: Service[] = base.services
    .map((s) => ({ ...s, operations: chosen.filter((op) => op.service === s.name) }))
    .filter((s) => s.operations.length > 0);
  return buildCatalog(services);
}
