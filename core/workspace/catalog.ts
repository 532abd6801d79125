/**
 * A workspace's catalog: each service's document with its overlays applied, its name from the
 * workspace (unless the document has `x-flowgate-service`), its credential parameters hidden,
 * and inline security schemes for documents that declare none. Large documents are cached by
 * content hash (document and overlays) in `cacheDir`.
 */
import { readFileSync } from 'node:fs';
import { loadServiceDocuments, parseDocumentText } from '../catalog/load.ts';
import type { ServiceOptions } from '../catalog/operations.ts';
import type { Catalog, SecurityScheme } from '../catalog/types.ts';
import { inlineSchemeName, schemeOf } from './auth.ts';
import { applyOverlays } from './overlay.ts';
import type { Workspace, WorkspaceService } from './types.ts';

/** What the catalog needs to know about a service beyond its document. */
export function serviceOptions(service: WorkspaceService): ServiceOptions {
  const credentialParams = service.credentials.flatMap((c) => (c.parameter !== undefined ? [c.parameter] : []));
  const securitySchemes: Record<string, SecurityScheme> = {};
  for (const c of service.credentials) {
    if (c.scheme !== undefined && typeof c.scheme !== 'string') {
      const scheme = schemeOf(c, {});
      if (scheme) securitySchemes[inlineSchemeName(c.scheme)] = scheme;
    }
  }
  const options: ServiceOptions = { name: service.name };
  if (credentialParams.length) options.credentialParams = credentialParams;
  if (Object.keys(securitySchemes).length) options.securitySchemes = securitySchemes;
  return options;
}

/** Loads the catalog of `workspace`. Throws CatalogError or WorkspaceError naming the file and pointer. */
export async function loadWorkspaceCatalog(workspace: Workspace, options: { cacheDir?: string } = {}): Promise<Catalog> {
  return loadServiceDocuments(workspace.services.map((service) => {
    const overlays = service.overlays.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    return {
      file: service.document,
      options: serviceOptions(service),
      extra: overlays.map((o) => o.text),
      prepare: overlays.length === 0 ? undefined : (document: object) => applyOverlays(document, overlays.map((o) => ({ file: o.file, overlay: parseDocumentText(o.file, o.text) }))),
    };
  }), options);
}
