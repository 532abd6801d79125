/**
 * `flowgate serve --stdio`: the core as the Electron shell's child process. The protocol is
 * the core's JSON-RPC 2.0 (protocol.ts), one message per line (UTF-8, `\n`-terminated) on
 * stdin and stdout; `JSON.stringify` never emits a raw newline, so a line is a message.
 * stdout carries nothing else: anything the core logs goes to stderr. The process ends when
 * stdin closes (the shell went away) or on SIGINT/SIGTERM.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { CoreService } from '../service/core-service.ts';
import { resolveChoice } from '../service/environment.ts';
import { RPC_ERRORS } from '../service/protocol.ts';
import { createRpcSession, MAX_MESSAGE_BYTES, type RpcCore } from '../service/rpc.ts';
import { openRuntime } from '../service/runtime.ts';
import { startWorkbenchServer } from '../service/http-server.ts';
import { mcpHttpHandler } from '../service/mcp.ts';
import { RENDERER_DIR } from './serve.ts';
import { DEFAULT_SERVED_POLICY, EXIT, policyOption } from './common.ts';

/**
 * `catalog`, `workspace`: as `--catalog` and `--workspace`; `policy`: what MCP clients on the
 * loopback endpoint submit under (default: the workspace's, else seed-workspace).
 */
export async function serveStdio(options: { catalog?: string; workspace?: string; policy?: string }): Promise<number> {
  // Keep stdout for protocol lines only.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const choice = await resolveChoice({ catalog: options.catalog, workspace: options.workspace });
  const runtime = await openRuntime({ catalog: choice });
  const core = new CoreService(runtime);
  const restored = await core.restorePending();
  if (restored) process.stderr.write(`Flowgate: ${restored} submission(s) left waiting by an earlier core are back in the inbox.\n`);
  // The same core on loopback too (token, Origin checks, workbench.json): `flowgate mcp` then
  // attaches to the desktop app's core, and its inbox is the one the reviewer has open.
  const mcp = mcpHttpHandler(core, { policy: { name: policyOption(options.policy, choice, DEFAULT_SERVED_POLICY) } });
  const loopback = await startWorkbenchServer({ core, rendererDir: RENDERER_DIR, mcpHandler: mcp, dataDir: runtime.dataDir }).catch((error: Error) => {
    process.stderr.write(`Flowgate: no loopback endpoint for local tools (${error.message})\n`);
    return undefined;
  });
  await new Promise<void>((resolve) => {
    const stop = pipeLines(core, process.stdin, process.stdout);
    const done = () => {
      stop();
      resolve();
    };
    process.stdin.once('end', done);
    process.stdin.once('close', done);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await loopback?.close().catch(() => undefined);
  await mcp.close();
  await runtime.close();
  return EXIT.ok;
}

/**
 * Connects a JSON-RPC session to a line-delimited stream pair; returns a function that stops
 * it. A line longer than the message cap is answered with an error and skipped.
 */
export function pipeLines(core: RpcCore, input: Readable, output: Writable, maxBytes = MAX_MESSAGE_BYTES): () => void {
  const session = createRpcSession(core, (message) => output.write(message + '\n'), { maxMessageBytes: maxBytes });
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let skipping = false;
  const onData = (chunk: Buffer | string) => {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (skipping) {
        skipping = false;
        continue;
      }
      if (line.trim()) session.receive(line);
    }
    // Characters are at most 4 bytes: past this, the pending line is certainly over the cap.
    if (!skipping && buffer.length > maxBytes) {
      skipping = true;
      buffer = '';
      output.write(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.invalidRequest, message: `message too large (limit ${maxBytes} bytes)` } }) + '\n');
    } else if (skipping) buffer = '';
  };
  input.on('data', onData);
  return () => {
    input.off('data', onData);
    session.close();
  };
}
