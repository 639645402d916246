/** Stops the e2e run before any test with one line naming what is missing (Chromium, jupyter, nbconvert). */
export default async function setup(): Promise<void> {
  const { missingE2eTools, missingToolsLine } = await import('../../scripts/e2e-tools.mjs');
  const missing = missingE2eTools();
  if (missing.length > 0) {
    process.stderr.write(missingToolsLine(missing) + '\n');
    process.exit(1);
  }
}
