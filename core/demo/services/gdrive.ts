/** Google Drive routes: `https://googleapis.com/drive/v3` → `/drive/v3/files…` on loopback. */
import type { ServiceDefinition } from '../http.ts';
import { notFound } from '../args.ts';
import type { DriveDocument } from '../data/gdrive.ts';

export function gdriveService(documents: DriveDocument[]): ServiceDefinition {
  return {
    service: 'gdrive',
    host: 'googleapis.com',
    routes: [
      {
        method: 'GET', path: '/drive/v3/files',
        handler: ({ query }) => {
          const folder = query.get('folder');
          const docs = folder === null || folder === '' ? documents : documents.filter((d) => d.folder.toLowerCase() === folder.toLowerCase());
          // The listing carries metadata only; the content comes from getDocument.
          const files = docs.map(({ content, ...meta }) => ({ ...meta, sizeBytes: Buffer.byteLength(content) }));
          return { body: { files, total: files.length } };
        },
      },
      {
        method: 'GET', path: '/drive/v3/files/{documentId}',
        handler: ({ params }) => {
          const doc = documents.find((d) => d.id === params.documentId);
          if (!doc) throw notFound('document', params.documentId);
          return { body: { ...doc, sizeBytes: Buffer.byteLength(doc.content) } };
        },
      },
    ],
  };
}
