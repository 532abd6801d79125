/** Assembling a {@link Catalog} from services: the operation index, labels, destinations, declarations. */
import type { Catalog, Operation, Service } from './types.ts';
import { renderDeclarations } from './declarations.ts';

/** Every label any operation or field of `operations` can carry, sorted. */
export function labelsOf(operations: Iterable<Operation>): string[] {
  const labels = new Set<string>();
  for (const op of operations) {
    for (const l of op.labels) labels.add(l);
    for (const f of op.fieldLabels) for (const l of f.labels) labels.add(l);
  }
  return [...labels].sort();
}

/** Every service name and every destination class an argument can name, sorted. */
export function destinationsOfCatalog(services: Service[]): string[] {
  const out = new Set<string>();
  for (const s of services) {
    out.add(s.name);
    for (const op of s.operations) for (const p of op.params) for (const r of p.destination ?? []) out.add(r.destination);
  }
  return [...out].sort();
}

/**
 * Builds the catalog's indexes from `services`. Its `declarations` (every operation of every
 * service) are rendered on first use: for GitHub's 1,223 operations that is megabytes of text
 * nothing needs to analyse one program (see `declarationsFor`).
 */
export function buildCatalog(services: Service[]): Catalog {
  const operations = new Map<string, Operation>();
  for (const s of services) for (const op of s.operations) operations.set(op.id, op);
  let declarations: string | undefined;
  const catalog = {
    services,
    operations,
    labels: labelsOf(operations.values()),
    destinations: destinationsOfCatalog(services),
  } as Catalog;
  Object.defineProperty(catalog, 'declarations', {
    enumerable: true,
    get: () => (declarations ??= renderDeclarations(catalog)),
    set: (text: string) => {
      declarations = text;
    },
  });
  return catalog;
}
