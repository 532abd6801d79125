/**
 * What a request carries to authenticate, from a service's credentials and the operation's
 * security requirement. Pure: secrets are already resolved (secrets.ts) and OAuth tokens
 * already fetched (auth.ts). The result goes to the HTTP transport, on the host only.
 */
import type { Operation, SecurityScheme } from '../catalog/types.ts';
import type { RequestAuth } from '../sandbox/http-transport.ts';

export type { RequestAuth } from '../sandbox/http-transport.ts';

/** A credential with its secret in hand. */
export type ResolvedCredential =
  | { kind: 'scheme'; scheme: SecurityScheme; secret: string; username?: string }
  | { kind: 'parameter'; name: string; secret: string };

export const NO_AUTH: RequestAuth = { headers: {}, query: {}, cookies: {}, params: {} };

/**
 * The scheme credentials an operation uses: with a `security` requirement, the first
 * alternative whose schemes all have a credential (none when no alternative does, so a
 * credential never goes where the document does not ask for it); without one, every scheme
 * credential of the service (documents such as GitHub's say nothing and expect a token).
 */
export function schemesFor(op: Pick<Operation, 'security'>, credentials: readonly ResolvedCredential[]): Array<Extract<ResolvedCredential, { kind: 'scheme' }>> {
  const byScheme = credentials.filter((c): c is Extract<ResolvedCredential, { kind: 'scheme' }> => c.kind === 'scheme');
  if (op.security === undefined) return byScheme;
  for (const alternative of op.security) {
    const chosen = alternative.map((name) => byScheme.find((c) => c.scheme.name === name));
    if (chosen.every((c) => c !== undefined)) return chosen as Array<Extract<ResolvedCredential, { kind: 'scheme' }>>;
  }
  return [];
}

/** The headers, query parameters, cookies and credential parameters of one request. */
export function authFor(op: Pick<Operation, 'security' | 'credentialParams'>, credentials: readonly ResolvedCredential[]): RequestAuth {
  const auth: RequestAuth = { headers: {}, query: {}, cookies: {}, params: {} };
  for (const { scheme, secret, username } of schemesFor(op, credentials)) {
    if (scheme.type === 'http' && scheme.scheme === 'basic') {
      const pair = username !== undefined ? `${username}:${secret}` : secret.includes(':') ? secret : `${secret}:`;
      auth.headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    } else if (scheme.type === 'apiKey' && scheme.paramName) {
      if (scheme.in === 'query') auth.query[scheme.paramName] = secret;
      else if (scheme.in === 'cookie') auth.cookies[scheme.paramName] = secret;
      else auth.headers[scheme.paramName] = secret;
    } else {
      // http bearer, oauth2 and openIdConnect tokens all travel as a bearer token.
      auth.headers.Authorization = `Bearer ${secret}`;
    }
  }
  for (const c of credentials) {
    if (c.kind === 'parameter' && op.credentialParams?.some((p) => p.name === c.name)) auth.params[c.name] = c.secret;
  }
  return auth;
}
