/**
 * Secrets that can ride in a URL, taken out of any text before it is printed or logged: the user
 * information of `scheme://user:password@host` (all of it: a lone user name is often a token), and the
 * values of query parameters that carry a key (`key`, `token`, `sig`, `code`, `client_secret`, ...).
 *
 * @example
 * redactSecrets("fetch http://admin:hunter2@localhost:5555/api failed")
 * // → "fetch http://***@localhost:5555/api failed"
 */
export function redactSecrets(text: string): string {
  return text.replace(USER_INFO, "$1***@").replace(SECRET_PARAMETER, "$1***");
}

/** `scheme://` then user information up to the last `@` before the host (a password with an unencoded `@` included). */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]+@/gi;

/** Query parameters whose values are credentials (names as Azure, OAuth and the preview use them). */
const SECRET_PARAMETER =
  /([?&](?:key|token|access_token|id_token|refresh_token|code|sig|signature|secret|client_secret|password|pwd|apikey|api_key|api-key)=)[^&#\s"'<>]*/gi;
