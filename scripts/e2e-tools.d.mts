/** $TWEETLAB_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(): string;
/** The tools test:e2e needs that are missing, each named with where it was looked for. */
export function missingE2eTools(): string[];
/** One line naming the missing tools and how to install them. */
export function missingToolsLine(missing: string[]): string;
