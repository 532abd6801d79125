/**
 * The command-line contract in one place: every command, its arguments, its options and its
 * exit codes. The usage text (`flowgate --help`, `flowgate <command> --help`), the argument
 * parser of each command and the table in README.md are all generated from this, and a test
 * checks README.md against it.
 *
 * Adding an option is one line in OPTIONS (name, value, help, the commands that take it, and
 * `required` or a `default`); the command reads it from `parseCommand(...).values`.
 *
 * Nothing heavy is imported here: `flowgate --help` must stay instant.
 */
import { parseArgs } from 'node:util';
import { BadInput, DEFAULT_SERVED_POLICY, DEMO_POLICIES, EXIT, type ExitName } from './common.ts';

export type CommandName = 'check' | 'run' | 'serve' | 'mcp' | 'verify' | 'export' | 'demo';

export interface OptionSpec {
  /** Long name without dashes (`policy` is `--policy`). */
  name: string;
  /** The value's placeholder (`<file|name>`); absent for a flag. */
  value?: string;
  help: string;
  commands: readonly CommandName[];
  /** A missing required option is bad input (exit 1), with `missing` as the explanation. */
  required?: boolean;
  /** Said when a required option is missing. */
  missing?: string;
  /**
   * Required unless this holds (e.g. "a workspace names one"): the command, which can tell,
   * says so when it is missing; the parser does not.
   */
  requiredUnless?: string;
  /** Applied by the parser when the option is absent. */
  default?: string;
  /** What the command uses when the option is absent, in words (it resolves it itself). */
  fallback?: string;
  /** May be given more than once (`--param a=1 --param b=2`); its value is then a list. */
  multiple?: boolean;
}

export interface CommandSpec {
  name: CommandName;
  /** Positional arguments as shown in the usage (`<program.ts>`, `[<audit log>]`). */
  args: string;
  /** How many positional arguments it takes: [min, max]. */
  positionals: readonly [number, number];
  summary: string;
  /** Exit code → what it means for this command. The same situation has the same code everywhere. */
  exits: ReadonlyArray<readonly [ExitName, string]>;
}


/** Every option of every command. One line each. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: 'policy', value: '<file|name>', help: `the policy to judge the program by: a demo policy (${DEMO_POLICIES}) or a .json file`, commands: ['check', 'run'], requiredUnless: 'a workspace names one' },
  { name: 'policy', value: '<file|name>', help: 'the policy agents\' submissions are judged by', commands: ['serve', 'mcp'], fallback: `the workspace's, else ${DEFAULT_SERVED_POLICY}` },
  { name: 'workspace', value: '<dir>', help: 'your own APIs: a directory with flowgate.json or flowgate.yaml (documents, base URLs, credentials, overlays, a default policy)', commands: ['check', 'run', 'serve', 'mcp'] },
  { name: 'catalog', value: '<dir|demo|demo-v2>', help: 'the APIs: a folder of OpenAPI documents, or the demo company (demo-v2: billing v2, for schema drift)', commands: ['check', 'run', 'serve', 'mcp'], fallback: 'FLOWGATE_WORKSPACE, else ./flowgate.json, else demo' },
  { name: 'approve', help: 'stand for a human approving what needs approval (never what the policy forbids)', commands: ['run'] },
  { name: 'max-duration', value: '<duration>', help: 'override the policy\'s maxDuration (e.g. 2s, 500ms)', commands: ['run'] },
  { name: 'param', value: '<name=value>', help: 'a task input the program reads as params.name (trusted: no labels); JSON values are parsed', commands: ['run'], multiple: true },
  { name: 'json', help: 'print the result as JSON on stdout', commands: ['check', 'run', 'verify'] },
  { name: 'port', value: '<N>', help: 'the workbench\'s loopback port (0: any free port)', commands: ['serve', 'mcp'], default: '0' },
  { name: 'open', help: 'open the workbench in the browser (default when stdout is a terminal)', commands: ['serve'] },
  { name: 'no-open', help: 'do not open a browser', commands: ['serve'] },
  { name: 'stdio', help: 'speak the core\'s JSON-RPC on stdin/stdout instead of HTTP (the desktop shell\'s mode)', commands: ['serve'] },
  { name: 'approval-timeout', value: '<duration>', help: 'how long execute_code and get_result hold a call open for a reviewer before answering "waiting for review" (the submission stays pending)', commands: ['mcp'], default: '45s' },
  { name: 'no-workbench', help: 'serve no workbench (what needs approval waits for a reviewer; the agent is told "waiting for review")', commands: ['mcp'] },
  { name: 'no-attach', help: 'start a core of its own even when a workbench runs on this data directory', commands: ['mcp'] },
  { name: 'otlp', value: '<traceId|all>', help: 'the trace to export (32 hex digits, or a unique prefix of 8 or more such as the workbench shows), or all', commands: ['export'], required: true, missing: '--otlp is required: a trace id (or its first 8 characters) or all' },
  { name: 'out', value: '<file>', help: 'write to a file instead of stdout', commands: ['export'] },
];

/** Every command, in the order the usage lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'check',
    args: '<program.ts>',
    positionals: [1, 1],
    summary: 'analyse a program against a policy without running it',
    exits: [['ok', 'allow'], ['needsApproval', 'needs approval'], ['deny', 'deny'], ['badInput', 'bad input (syntax error, empty program, unknown policy…)']],
  },
  {
    name: 'run',
    args: '<program.ts>',
    positionals: [1, 1],
    summary: 'analyse and run a program in the sandbox (the demo APIs start in-process for the demo catalog)',
    exits: [['ok', 'ok'], ['deny', 'denied or blocked'], ['limit', 'stopped by a limit'], ['threw', 'the program threw'], ['badInput', 'bad input']],
  },
  {
    name: 'serve',
    args: '',
    positionals: [0, 0],
    summary: 'the workbench in a browser on loopback, with a per-launch token (also MCP over HTTP at /mcp)',
    exits: [['ok', 'stopped (Ctrl-C)'], ['badInput', 'bad input (port in use, unknown policy…)']],
  },
  {
    name: 'mcp',
    args: '',
    positionals: [0, 0],
    summary: 'an MCP server on stdio with the tools search_docs, execute_code and get_result',
    exits: [['ok', 'the client went away'], ['badInput', 'bad input']],
  },
  {
    name: 'verify',
    args: '[<audit log>]',
    positionals: [0, 1],
    summary: 'check the hash chain of an audit log (default: the data directory\'s) and every passkey-signed decision on it',
    exits: [['ok', 'intact'], ['deny', 'tampered (names the first bad record)'], ['badInput', 'bad input (no log)']],
  },
  {
    name: 'export',
    args: '[<audit log>]',
    positionals: [0, 1],
    summary: 'OTLP/JSON of one trace or all, for Jaeger or Grafana Tempo',
    exits: [['ok', 'exported'], ['badInput', 'bad input (no such trace, an ambiguous short id)']],
  },
  {
    name: 'demo',
    args: '',
    positionals: [0, 0],
    summary: 'the demo company\'s APIs on loopback',
    exits: [['ok', 'stopped (Ctrl-C)']],
  },
];

/** Exit codes every command shares, besides its own. */
export const COMMON_EXITS: ReadonlyArray<readonly [ExitName, string]> = [['internal', 'an internal error (a bug in Flowgate: please report it)']];

export function commandSpec(name: string, commands: readonly CommandSpec[] = COMMANDS): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}

export function optionsOf(command: CommandName, options: readonly OptionSpec[] = OPTIONS): OptionSpec[] {
  return options.filter((o) => o.commands.includes(command));
}

function optionText(o: OptionSpec): string {
  return (o.value ? `--${o.name} ${o.value}` : `--${o.name}`) + (o.multiple ? '…' : '');
}

/** `check <program.ts> --policy <file|name> [--catalog <dir|demo|demo-v2>] [--json]` */
export function synopsis(command: CommandSpec): string {
  const parts = [command.name, command.args, ...optionsOf(command.name).map((o) => (o.required || o.requiredUnless ? optionText(o) : `[${optionText(o)}]`))];
  return parts.filter(Boolean).join(' ');
}

/** ` (required)`, ` (default x)`…: what the usage and the README say after an option. */
function qualifier(o: OptionSpec, code: (text: string) => string): string {
  if (o.required) return ' (required)';
  if (o.requiredUnless) return ` (required unless ${o.requiredUnless})`;
  if (o.default !== undefined) return ` (default ${code(o.default)})`;
  if (o.fallback) return ` (default: ${o.fallback})`;
  return '';
}

function exitsText(exits: ReadonlyArray<readonly [ExitName, string]>): string {
  return exits.map(([name, meaning]) => `${EXIT[name]} ${meaning}`).join(' · ');
}

/** The help of one command. */
export function commandUsage(command: CommandSpec): string {
  const lines = [`flowgate ${synopsis(command)}`, `  ${command.summary}`];
  const options = optionsOf(command.name);
  const width = Math.max(0, ...options.map((o) => optionText(o).length));
  for (const o of options) {
    const extra = qualifier(o, (text) => text);
    lines.push(`    ${optionText(o).padEnd(width)}  ${o.help}${extra}`);
  }
  lines.push(`  exit ${exitsText(command.exits)}`);
  return lines.join('\n');
}

/** `flowgate --help`. */
export function usage(): string {
  return [
    'flowgate — approve flows, not tools',
    '',
    ...COMMANDS.flatMap((c) => [commandUsage(c), '']),
    `Every command: exit ${exitsText(COMMON_EXITS)}; \`flowgate <command> --help\` for one command.`,
    `Demo policies: ${DEMO_POLICIES} (policies/). FLOWGATE_DATA=<dir> sets where Flowgate keeps its`,
    'state and audit log (<dir>/audit.log; default ~/.flowgate). FLOWGATE_WORKSPACE=<dir> stands for',
    '--workspace when neither --workspace nor --catalog is given.',
  ].join('\n');
}

/** Escapes a table cell for Markdown. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The README's table of commands (between `<!-- cli:begin -->` and `<!-- cli:end -->`). */
export function readmeTable(): string {
  const rows = COMMANDS.map((c) => {
    const options = optionsOf(c.name).map((o) => `\`${cell(optionText(o))}\`${cell(qualifier(o, (text) => `\`${text}\``))}`);
    return `| \`flowgate ${cell([c.name, c.args].filter(Boolean).join(' '))}\` | ${cell(c.summary)} | ${options.join('<br>') || '—'} | ${cell(exitsText(c.exits))} |`;
  });
  return ['| command | what it does | options | exit codes |', '|---|---|---|---|', ...rows].join('\n');
}

/** A string option's value, a flag's `true`, a `multiple` option's list; undefined when absent. */
export type OptionValue = string | boolean | string[] | undefined;

export interface ParsedCommand {
  /** Every option of the command: given, or its default. */
  values: Record<string, OptionValue>;
  /** Options given on the command line (not defaulted). */
  given: ReadonlySet<string>;
  positionals: string[];
  /** `--help` was given: the caller prints `commandUsage` and exits 0. */
  help: boolean;
}

/**
 * Parses a command's arguments by its spec: unknown options, a missing value, a missing required
 * option and the wrong number of arguments are bad input naming the problem.
 */
export function parseCommand(name: CommandName, argv: string[], spec: { options: readonly OptionSpec[] } = { options: OPTIONS }): ParsedCommand {
  const command = commandSpec(name);
  if (!command) throw new Error(`no spec for command ${name}`);
  const options = optionsOf(name, spec.options);
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const o of options) config[o.name] = { type: o.value ? 'string' : 'boolean', ...(o.multiple && o.value ? { multiple: true } : {}) };
  let parsed: { values: Record<string, OptionValue>; positionals: string[] };
  try {
    // Flags are never `multiple` here, so a list holds strings only.
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new BadInput(`${name}: ${plainParseError(error)}\n\n${commandUsage(command)}`);
  }
  const given = new Set(Object.keys(parsed.values).filter((k) => parsed.values[k] !== undefined));
  if (parsed.values.help) return { values: parsed.values, given, positionals: parsed.positionals, help: true };
  for (const o of options) {
    if (o.required && parsed.values[o.name] === undefined) throw new BadInput(o.missing ?? `--${o.name} is required`);
    const value = parsed.values[o.name];
    if (o.value && [value].flat().some((v) => v === '')) throw new BadInput(`--${o.name} needs a value: ${o.value}`);
  }
  const [min, max] = command.positionals;
  if (parsed.positionals.length < min) throw new BadInput(`${name} needs ${command.args}\n\n${commandUsage(command)}`);
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).map((p) => `"${p}"`).join(', ');
    throw new BadInput(`${name}: unexpected argument ${extra}${max === 0 ? ` (${name} takes no arguments)` : ` (${name} takes ${command.args})`}`);
  }
  const values = { ...parsed.values };
  for (const o of options) if (values[o.name] === undefined && o.default !== undefined) values[o.name] = o.default;
  return { values, given, positionals: parsed.positionals, help: false };
}

/** node:util's parse errors, in the words of this command line. */
function plainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[1].replace(/^-\w, /, '')} needs a value`;
  const noValue = /Option '([^']+)' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1].replace(/^-\w, /, '')} takes no value`;
  return message.split('\n')[0];
}
