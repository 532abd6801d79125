/**
 * The host's credentials for a workspace: reads each service's secrets when it is first called
 * (so `flowgate check` needs none), fetches OAuth 2 client-credentials tokens and keeps them
 * until they expire, and gives the HTTP transport what one request must carry. Also lists every
 * secret it holds, so the transport can scrub them from anything going back to a program.
 */
import type { Catalog, Operation, SecurityScheme } from '../catalog/types.ts';
import { authFor, NO_AUTH, type RequestAuth, type ResolvedCredential } from './credentials.ts';
import { readSecret, SecretError } from './secrets.ts';
import type { CredentialConfig, Workspace, WorkspaceService } from './types.ts';

interface Token {
  value: string;
  expiresAt: number;
}

export class WorkspaceAuth {
  private readonly workspace: Workspace;
  private readonly catalog: Catalog;
  private readonly env: NodeJS.ProcessEnv;
  private readonly resolved = new Map<string, Promise<ResolvedCredential[]>>();
  private readonly tokens = new Map<string, Token>();
  private readonly held = new Set<string>();

  constructor(workspace: Workspace, catalog: Catalog, env: NodeJS.ProcessEnv = process.env) {
    this.workspace = workspace;
    this.catalog = catalog;
    this.env = env;
  }

  /** Every secret read so far (and tokens fetched): what must never reach a program or a log. */
  secrets(): string[] {
    return [...this.held];
  }

  /** What a request of `op` carries. Throws SecretError (no secret in its message) when a secret cannot be read. */
  async authorize(op: Operation): Promise<RequestAuth> {
    const service = workspaceServiceOf(this.workspace, this.catalog, op.service);
    if (!service || service.credentials.length === 0) return NO_AUTH;
    let pending = this.resolved.get(op.service);
    if (!pending) {
      pending = this.resolve(op.service, service.credentials);
      this.resolved.set(op.service, pending);
      pending.catch(() => this.resolved.delete(op.service));
    }
    return authFor(op, await pending);
  }

  private async resolve(serviceName: string, configs: CredentialConfig[]): Promise<ResolvedCredential[]> {
    const service = this.catalog.services.find((s) => s.name === serviceName);
    const out: ResolvedCredential[] = [];
    for (const [i, c] of configs.entries()) {
      const where = `credential ${i} of ${serviceName}`;
      let secret: string;
      try {
        secret = await readSecret(c.secret, this.env);
      } catch (error) {
        throw new SecretError(`${where}: ${(error as Error).message}`);
      }
      this.held.add(secret);
      if (c.parameter !== undefined) {
        out.push({ kind: 'parameter', name: c.parameter, secret });
        continue;
      }
      const scheme = schemeOf(c, service?.securitySchemes ?? {});
      if (!scheme) throw new SecretError(`${where}: the document has no security scheme ${JSON.stringify(c.scheme)}`);
      if (scheme.type === 'oauth2' && c.clientId !== undefined) {
        const clientId = typeof c.clientId === 'string' ? c.clientId : await readSecret(c.clientId, this.env);
        out.push({ kind: 'scheme', scheme, secret: await this.clientCredentials(scheme, clientId, secret, c.scopes ?? [], where) });
      } else {
        out.push({ kind: 'scheme', scheme, secret, username: c.username });
      }
    }
    return out;
  }

  /** OAuth 2 client credentials (RFC 6749 §4.4): a token from the token URL, kept until shortly before it expires. */
  private async clientCredentials(scheme: SecurityScheme, clientId: string, clientSecret: string, scopes: string[], where: string): Promise<string> {
    const key = `${scheme.tokenUrl}|${clientId}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now() + 30_000) return cached.value;
    if (!scheme.tokenUrl) throw new SecretError(`${where}: the scheme ${scheme.name} has no client-credentials token URL`);
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scopes.length ? { scope: scopes.join(' ') } : {}) });
    let response: Response;
    try {
      response = await fetch(scheme.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}` },
        body,
        signal: AbortSignal.timeout(30_000),
        redirect: 'error',
      });
    } catch (error) {
      throw new SecretError(`${where}: the token request to ${scheme.tokenUrl} failed (${(error as Error).message})`);
    }
    const data = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (!response.ok || typeof data.access_token !== 'string') throw new SecretError(`${where}: ${scheme.tokenUrl} answered HTTP ${response.status} without an access token`);
    const token = { value: data.access_token, expiresAt: Date.now() + (typeof data.expires_in === 'number' ? data.expires_in * 1000 : 3_600_000) };
    this.tokens.set(key, token);
    this.held.add(token.value);
    return token.value;
  }
}

/**
 * The workspace entry of a catalog service. Usually the same name; a document's own
 * `x-flowgate-service` wins over the workspace's key, so entries are matched by document.
 */
export function workspaceServiceOf(workspace: Workspace, catalog: Catalog, serviceName: string): WorkspaceService | undefined {
  const file = catalog.services.find((s) => s.name === serviceName)?.file;
  return workspace.services.find((s) => s.document === file) ?? workspace.services.find((s) => s.name === serviceName);
}

/** The scheme a credential names: one of the document's, or written inline in the workspace. */
export function schemeOf(c: CredentialConfig, schemes: Record<string, SecurityScheme>): SecurityScheme | undefined {
  if (typeof c.scheme === 'string') return schemes[c.scheme];
  if (!c.scheme) return undefined;
  const s = c.scheme;
  return { name: inlineSchemeName(s), type: s.type, scheme: s.scheme, in: s.in, paramName: s.name, tokenUrl: s.tokenUrl };
}

/** The name an inline scheme goes by in the catalog: `bearer`, `basic`, `apiKey:header:X-Key`, `oauth2`. */
export function inlineSchemeName(s: NonNullable<Exclude<CredentialConfig['scheme'], string>>): string {
  if (s.type === 'http') return s.scheme ?? 'http';
  if (s.type === 'apiKey') return `apiKey:${s.in}:${s.name}`;
  return 'oauth2';
}
