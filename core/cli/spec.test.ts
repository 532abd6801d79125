/**
 * The argument parser every command shares (spec.ts): what a user types becomes values, defaults
 * and errors that name the problem. The commands themselves are tested as processes
 * (contract.test.ts); this is the parser alone.
 */
import { describe, expect, it } from 'vitest';
import { BadInput } from './common.ts';
import { commandUsage, COMMANDS, OPTIONS, parseCommand, readmeTable, synopsis, type OptionSpec } from './spec.ts';

function badInput(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadInput);
    return (error as Error).message;
  }
  throw new Error('expected bad input');
}

describe('parseCommand', () => {
  it('applies defaults, and tells given options from defaulted ones', () => {
    const parsed = parseCommand('mcp', ['--catalog', 'demo-v2']);
    expect(parsed.values).toMatchObject({ catalog: 'demo-v2', port: '0', 'approval-timeout': '45s' });
    // The policy is not a parse default: a workspace's own comes first (load.ts resolves it).
    expect(parsed.values.policy).toBeUndefined();
    expect([...parsed.given]).toEqual(['catalog']);
    expect(parsed.help).toBe(false);
  });

  it('says which required option is missing, and why', () => {
    // --policy is required unless a workspace names one: the parser lets it through, the command
    // decides once it knows the workspace (contract.test.ts: "a missing --policy is bad input").
    expect(parseCommand('check', ['p.ts']).values.policy).toBeUndefined();
    expect(badInput(() => parseCommand('export', []))).toContain('--otlp is required');
  });

  it('names an unknown option, a missing value, a flag given a value, and stray arguments', () => {
    expect(badInput(() => parseCommand('check', ['p.ts', '--policy', 'seed', '--jsn']))).toContain('unknown option --jsn');
    expect(badInput(() => parseCommand('check', ['p.ts', '--policy']))).toContain('--policy needs a value');
    expect(badInput(() => parseCommand('check', ['p.ts', '--policy', 'seed', '--json=yes']))).toContain('--json takes no value');
    expect(badInput(() => parseCommand('check', ['p.ts', '--policy=']))).toContain('--policy needs a value');
    expect(badInput(() => parseCommand('check', ['--policy', 'seed']))).toContain('check needs <program.ts>');
    expect(badInput(() => parseCommand('check', ['a.ts', 'b.ts', '--policy', 'seed']))).toContain('unexpected argument "b.ts"');
    expect(badInput(() => parseCommand('serve', ['now']))).toContain('serve takes no arguments');
  });

  it('--help and -h win over everything else', () => {
    expect(parseCommand('check', ['--help']).help).toBe(true);
    expect(parseCommand('run', ['-h']).help).toBe(true);
  });

  it('adding an option is one line of OPTIONS: it parses, and the usage and the README table show it', () => {
    const tag: OptionSpec = { name: 'tag', value: '<name>', help: 'a tag for the trace', commands: ['check', 'run'], multiple: true };
    const options = [...OPTIONS, tag];
    const parsed = parseCommand('run', ['p.ts', '--policy', 'seed', '--tag', 'a', '--tag', 'b'], { options });
    expect(parsed.values.tag).toEqual(['a', 'b']);
    expect(badInput(() => parseCommand('serve', ['--tag', 'a'], { options }))).toContain('unknown option --tag');
    // The real spec has no such option: the usage and the table are generated from OPTIONS.
    expect(commandUsage(COMMANDS[0])).not.toContain('--tag');
    expect(readmeTable()).not.toContain('--tag');
    // …and a real repeatable option parses the same way.
    expect(parseCommand('run', ['p.ts', '--policy', 'seed', '--param', 'a=1', '--param', 'b=2']).values.param).toEqual(['a=1', 'b=2']);
  });

  it("every command's synopsis names its required options bare and the rest in brackets", () => {
    const check = COMMANDS.find((c) => c.name === 'check');
    expect(check && synopsis(check)).toBe('check <program.ts> --policy <file|name> [--workspace <dir>] [--catalog <dir|demo|demo-v2>] [--json]');
  });
});
