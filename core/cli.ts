/**
 * `flowgate` — the command line (SCENARIOS.md, "Command line"). A thin layer over the core:
 * each command is one file in cli/. Exit codes are part of the contract.
 */
import { BadInput, EXIT } from './cli/common.ts';

const USAGE = `flowgate — approve flows, not tools

  flowgate check <program.ts> --policy <file|name> [--catalog <dir|demo|demo-v2>] [--json]
  flowgate run <program.ts> --policy <file|name> [--catalog …] [--approve] [--max-duration 2s] [--json]
  flowgate serve [--port N]        the workbench in a browser
  flowgate mcp                     an MCP server on stdio (search_docs, execute_code)

  check, run, serve and mcp take --workspace <dir> (a directory with flowgate.json or
  flowgate.yaml: your own APIs, their credentials and overlays); without --workspace or
  --catalog they use the current directory's flowgate.json when there is one, else the demo.
  flowgate verify [<audit log>]    exit 0 intact, 2 tampered
  flowgate export --otlp <traceId|all> [<audit log>] [--out file]
  flowgate demo                    start the demo company's APIs and print where they answer

Policies named seed and hr-assistant are the demo policies. FLOWGATE_DATA=<dir> sets where
Flowgate keeps its state and audit log (<dir>/audit.log).`;

const commands: Record<string, () => Promise<{ default: (argv: string[]) => Promise<number> }>> = {
  check: () => import('./cli/check.ts'),
  run: () => import('./cli/run.ts'),
  verify: () => import('./cli/verify.ts'),
  export: () => import('./cli/export.ts'),
  serve: () => import('./cli/serve.ts'),
  mcp: () => import('./cli/mcp.ts'),
  demo: () => import('./cli/demo.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? EXIT.ok : EXIT.badInput;
  }
  const load = commands[name];
  if (!load) throw new BadInput(`unknown command "${name}"\n\n${USAGE}`);
  const command = await load();
  return command.default(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof BadInput || (error instanceof Error && ['CatalogError', 'PolicyError', 'ProgramSyntaxError', 'WorkspaceError'].includes(error.name))) {
      process.stderr.write(`flowgate: ${error.message}\n`);
    } else {
      process.stderr.write(`flowgate: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = EXIT.badInput;
  },
);

