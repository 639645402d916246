import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { CliIO } from '../src/cli/common.js';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTTY: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('tweetlab CLI dispatcher', () => {
  it('rejects an unknown command with one line and exit code 2', async () => {
    const io = captureIO();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^tweetlab: unknown command "frobnicate" \(commands: /);
  });

  it('lists every registered command in --help', async () => {
    const io = captureIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^Usage: tweetlab <command>/);
  });

  it('exits 2 with usage when called with no command', async () => {
    const io = captureIO();
    expect(await main([], io)).toBe(2);
  });
});
