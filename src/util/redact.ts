/**
 * Secrets never reach a message (issue 15): a server may echo the Authorization header in its error body, so
 * any server text bound for stderr or a file passes through here first.
 */

/** The forms a secret can take in server text: as is, URL-encoded, JSON-escaped. */
function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...forms].filter((f) => f.length >= 4);
}

/** True when `text` holds any of `secrets` (in any of its forms) or an Authorization bearer value. */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  if (/\bBearer\s+\S{8,}/i.test(text)) return true;
  return secrets.some((s) => secretForms(s).some((f) => text.includes(f)));
}

/**
 * Server text fit for a message: unchanged when it holds no secret; otherwise not one part of it is kept
 * (a part could be a cut-off piece of the secret), just a note saying why.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  return containsSecret(text, secrets) ? "the server's message is left out: it repeats the credentials" : text;
}
