/**
 * Removes known secret values from a text that is about to go into an error message or a log, in the
 * forms they could plausibly appear (raw, URL-encoded, form-encoded). Used on text we do not control,
 * such as keychain error messages and Etsy's `error_description`.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would turn ordinary words into "[redacted]" and are not real secrets anyway.
    if (secret === null || secret === undefined || secret.length < 4) continue;
    const forms = new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')]);
    for (const form of forms) out = out.split(form).join('[redacted]');
  }
  return out;
}
