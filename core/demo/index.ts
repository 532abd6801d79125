/**
 * The demo company: seven APIs as real HTTP servers on loopback, their OpenAPI documents and
 * seeded data. `startDemo` is the one entry point; the catalog reads `demoCatalogFiles`.
 *
 * Ports: each service listens on 127.0.0.1 on a free port chosen by the OS. `hostMap` maps the
 * logical host of each document's `servers[0].url` to that base URL; the server answers at the
 * same path prefix as the document (`/api`, `/v1`, …), so a transport keeps the prefix.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDemoData } from './data/index.ts';
import { startServiceServer } from './http.ts';
import type { RunningServer, ServiceDefinition } from './http.ts';
import { workdayService } from './services/workday.ts';
import { slackService } from './services/slack.ts';
import { salesforceService } from './services/salesforce.ts';
import { billingService } from './services/billing.ts';
import { sendgridService } from './services/sendgrid.ts';
import { vaultService } from './services/vault.ts';
import { gdriveService } from './services/gdrive.ts';
import type { DemoHandle, DemoOptions, DemoRequest, DemoState } from './types.ts';

export type { DemoOptions, DemoRequest, DemoHandle, DemoState, DemoMessage, DemoEmail, DemoAccountUpdate } from './types.ts';

/** Service name → document file name, in catalog order. */
const DOCUMENTS = ['workday', 'slack', 'salesforce', 'billing', 'sendgrid', 'vault', 'gdrive'] as const;

/** Absolute paths of the OpenAPI documents of the demo catalog: version 1, or 2 (billing v2 instead of billing). */
export function demoCatalogFiles(version: 1 | 2): string[] {
  return DOCUMENTS.map((name) => {
    const dir = version === 2 && name === 'billing' ? 'openapi-v2' : 'openapi';
    return fileURLToPath(new URL(`./${dir}/${name}.yaml`, import.meta.url));
  });
}

/** Starts every demo service with fresh seeded data; resolves once all are listening. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const latencyMs = options.latencyMs ?? 0;
  const data = createDemoData();
  const state: DemoState = { messages: [], emails: [], refunds: [], accountUpdates: [] };
  const requests: DemoRequest[] = [];
  const logged = { messages: 0, emails: 0 };
  const onRequest = (entry: DemoRequest): void => {
    requests.push(entry);
    if (options.requestLogFile) appendFileSync(options.requestLogFile, JSON.stringify(entry) + '\n');
    if (options.receivedLogFile) {
      const lines = [
        ...state.messages.slice(logged.messages).map((m) => ({ kind: 'message', traceparent: entry.traceparent, time: entry.time, ...m })),
        ...state.emails.slice(logged.emails).map((e) => ({ kind: 'email', traceparent: entry.traceparent, time: entry.time, ...e })),
      ];
      logged.messages = state.messages.length;
      logged.emails = state.emails.length;
      if (lines.length) appendFileSync(options.receivedLogFile, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    }
  };
  const definitions: ServiceDefinition[] = [
    workdayService(data.workday),
    slackService(data.slack, state),
    salesforceService(data.accounts, data.workday.employees, state),
    billingService(data.billing, state),
    sendgridService(state),
    vaultService(data.secrets),
    gdriveService(data.documents),
  ];

  const hostMap: Record<string, string> = {};
  const credentials: Record<string, Record<string, string>> = {};
  const running: RunningServer[] = [];
  try {
    for (const def of definitions) {
      // One token per service and launch; only the host ever holds it.
      const token = randomBytes(24).toString('base64url');
      const server = await startServiceServer(def, { token, latencyMs, onRequest });
      running.push(server);
      hostMap[def.host] = server.url;
      credentials[def.host] = { Authorization: `Bearer ${token}` };
    }
  } catch (err) {
    await Promise.all(running.map((s) => s.close()));
    throw err;
  }

  let closed: Promise<void> | undefined;
  return {
    hostMap,
    credentials,
    requests,
    state,
    close: () => (closed ??= Promise.all(running.map((s) => s.close())).then(() => undefined)),
  };
}
