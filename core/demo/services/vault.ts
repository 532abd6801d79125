/** Vault routes: `https://vault.internal/v1` → `GET /v1/secret/{name}` on loopback. */
import type { ServiceDefinition } from '../http.ts';
import { notFound } from '../args.ts';
import type { Secret } from '../data/vault.ts';

export function vaultService(secrets: Secret[]): ServiceDefinition {
  return {
    service: 'vault',
    host: 'vault.internal',
    routes: [
      {
        method: 'GET', path: '/v1/secret/{name}',
        handler: ({ params }) => {
          const secret = secrets.find((s) => s.name === params.name);
          if (!secret) throw notFound('secret', params.name);
          return { body: secret };
        },
      },
    ],
  };
}
