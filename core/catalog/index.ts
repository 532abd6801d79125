/**
 * core/catalog: OpenAPI 3.x documents → the operations programs call, their data labels and
 * destinations, and the TypeScript declarations programs are written against.
 */
export * from './types.ts';
export { loadCatalog, loadCatalogDocuments, listDocumentFiles, readDocumentFile, loadServiceDocument, loadServiceDocuments, parseDocumentText } from './load.ts';
export type { DocumentInput, LoadOptions } from './load.ts';
export { validateDocument } from './validate.ts';
export { parseCatalogDocuments, parseService, serviceNameFromTitle, defaultVerb } from './operations.ts';
export type { CatalogDocument, ServiceOptions } from './operations.ts';
export { buildCatalog } from './build.ts';
export { destinationsOf, possibleDestinations, classify, catchesAll } from './destinations.ts';
export { globMatch } from './glob.ts';
export { labelsAt } from './labels.ts';
export { renderDeclarations, PRELUDE } from './declarations.ts';
export type { RenderOptions } from './declarations.ts';
export { searchDocs } from './search.ts';
export { declarationsFor, servicesUsed, SELECT_ABOVE_OPERATIONS } from './select.ts';
export type { SearchOptions, SearchResult, SearchDocsResult } from './search.ts';
export { synthesizeCatalog } from './synthesize.ts';
export { TYPE_NAME } from './schema.ts';
