/**
 * `flowgate` — the command line (SCENARIOS.md, "Command line"). A thin layer over the core:
 * each command is one file in cli/, its arguments, options and exit codes are declared in
 * cli/spec.ts (which also writes the usage text). Exit codes are part of the contract.
 *
 * Output: a reader that stops early (`flowgate export --otlp all | head`) is not an error:
 * the rest of the output is dropped and the command ends with the exit code it would have had.
 */
import './cli/fast-start.ts';
import { BadInput, EXIT } from './cli/common.ts';
import { commandSpec, commandUsage, parseCommand, usage, type CommandName, type ParsedCommand } from './cli/spec.ts';

type Command = (parsed: ParsedCommand) => Promise<number>;

const commands: Record<CommandName, () => Promise<{ default: Command }>> = {
  check: () => import('./cli/check.ts'),
  run: () => import('./cli/run.ts'),
  verify: () => import('./cli/verify.ts'),
  export: () => import('./cli/export.ts'),
  serve: () => import('./cli/serve.ts'),
  mcp: () => import('./cli/mcp.ts'),
  demo: () => import('./cli/demo.ts'),
};

/** Errors whose message is for the user as it stands (bad input), as opposed to a bug. */
const USER_ERRORS = ['BadInput', 'CatalogError', 'PolicyError', 'ProgramSyntaxError', 'WorkspaceError'];

/** EPIPE on stdout or stderr (the reader went away): drop further output quietly. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(usage() + '\n');
    return EXIT.badInput;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const about = rest[0] ? commandSpec(rest[0]) : undefined;
    if (rest[0] && !about) throw new BadInput(`unknown command "${rest[0]}"; the commands are ${Object.keys(commands).join(', ')}`);
    process.stdout.write((about ? commandUsage(about) : usage()) + '\n');
    return EXIT.ok;
  }
  const spec = commandSpec(name);
  if (!spec) throw new BadInput(`unknown command "${name}"; the commands are ${Object.keys(commands).join(', ')} (flowgate --help says more)`);
  const parsed = parseCommand(spec.name, rest);
  if (parsed.help) {
    process.stdout.write(commandUsage(spec) + '\n');
    return EXIT.ok;
  }
  const command = await commands[spec.name]();
  return command.default(parsed);
}

quietOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof Error && USER_ERRORS.includes(error.name)) {
      process.stderr.write(`flowgate: ${error.message}\n`);
      process.exitCode = EXIT.badInput;
    } else {
      process.stderr.write(`flowgate: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.internal;
    }
  },
);
