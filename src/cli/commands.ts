import type { Command } from './common.js';

/**
 * The command registry. Each command lives in its own file and is loaded only when called, so
 * `tweetlab stats` does not pay for loading TensorFlow.
 */
export const commandLoaders: Record<string, () => Promise<Command>> = {
};
