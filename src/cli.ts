#!/usr/bin/env node
import { commandLoaders } from './cli/commands.js';
import { processIO, type CliIO } from './cli/common.js';
import { isTweetlabError, errorMessage } from './errors.js';

const HELP_HEADER = 'Usage: tweetlab <command> [flags]   (tweetlab <command> --help for its flags)\n\nCommands:';

/** Runs the CLI and returns the exit code; the bin wrapper below passes it to process.exitCode. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const lines = [HELP_HEADER];
    for (const key of Object.keys(commandLoaders)) {
      const cmd = await (commandLoaders[key] as () => Promise<{ summary: string }>)();
      lines.push(`  ${key.padEnd(10)} ${cmd.summary}`);
    }
    io.out(lines.join('\n'));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    io.out(String(require('../package.json').version));
    return 0;
  }
  const load = commandLoaders[name];
  if (!load) {
    io.err(`tweetlab: unknown command "${name}" (commands: ${Object.keys(commandLoaders).join(', ')})`);
    return 2;
  }
  try {
    const cmd = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(cmd.usage);
      return 0;
    }
    return await cmd.run(rest, io);
  } catch (err) {
    if (isTweetlabError(err)) {
      // Flag errors already name their command ("run: --epochs …"): print it once.
      const message = err.message.startsWith(`${name}: `) ? err.message.slice(name.length + 2) : err.message;
      io.err(`tweetlab ${name}: ${message}`);
      return err.exitCode;
    }
    io.err(`tweetlab ${name}: unexpected error: ${errorMessage(err)}`);
    if (process.env['TWEETLAB_DEBUG']) io.err(String((err as Error)?.stack ?? ''));
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`tweetlab: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}
