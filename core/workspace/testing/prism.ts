/**
 * Test helpers around Prism (`@stoplight/prism-cli`), a real OpenAPI mock server nobody here
 * wrote: start it on a document on loopback (on Flowgate's pinned Node), and put a recording
 * reverse proxy in front of it, so a test can see exactly what reached the API (headers
 * included) while Prism validates every request against the document, security included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface RunningPrism {
  url: string;
  /** Everything Prism printed so far. */
  output(): string;
  close(): Promise<void>;
}

const PRISM_CLI = join(dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');

/** Starts `prism mock` on `document` (127.0.0.1, a free port); resolves when it listens, rejects after `deadlineMs`. */
export function startPrism(document: string, deadlineMs = 240_000): Promise<RunningPrism> {
  const child: ChildProcess = spawn(process.execPath, [PRISM_CLI, 'mock', '-h', '127.0.0.1', '-p', '0', document], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SCARF_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  const close = (): Promise<void> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`Prism did not start on ${document} within ${deadlineMs} ms:\n${output.slice(-2000)}`));
    }, deadlineMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const listening = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ url: listening[1], output: () => output, close });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}) before listening:\n${output.slice(-2000)}`));
    });
  });
}

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  status?: number;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A reverse proxy on loopback that records each request (and the status Prism answered) and forwards it to `target`. */
export async function startRecorder(target: string): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: body.toString('utf8') };
      requests.push(record);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        record.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: error.message }));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
