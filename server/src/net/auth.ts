import type { TokenCredential } from "@azure/identity";

/**
 * Access tokens for any Entra-protected API (Dataverse, Microsoft Graph): from an Azure credential (client
 * secret or managed identity), or a static token for local endpoints and tests. Secrets never appear in
 * messages.
 */

/** Resolves with a bearer token, fresh enough to send now. */
export type TokenProvider = () => Promise<string>;

/** How a service authenticates, as its settings say. */
export type AuthSettings =
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "managedIdentity"; clientId?: string }
  | { kind: "static"; token: string };

/** A credential issued no token for the scope. */
export class NoTokenError extends Error {
  override readonly name = "NoTokenError";
  constructor(readonly scope: string) {
    super(`no token was issued for ${scope}`);
  }
}

/** The token scope for a resource: `https://contoso.crm.dynamics.com/.default`. */
export function scopeFor(resourceUrl: string): string {
  return `${new URL(resourceUrl).origin}/.default`;
}

/** Refresh this long before expiry, so a token never expires between issue and use. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A TokenProvider over an Azure credential. The credentials cache too, but the Azure docs leave
 * caching to direct callers of getToken, so tokens are kept here until near expiry, and concurrent
 * callers share one refresh. Rejects with {@link NoTokenError} when the credential issues none.
 */
export function credentialTokenProvider(
  credential: TokenCredential,
  resourceUrl: string,
  now: () => number = Date.now,
): TokenProvider {
  const scope = scopeFor(resourceUrl);
  let cached: { token: string; refreshAt: number } | undefined;
  let refreshing: Promise<string> | undefined;
  return async () => {
    if (cached && now() < cached.refreshAt) return cached.token;
    refreshing ??= (async () => {
      try {
        const t = await credential.getToken(scope);
        if (!t) throw new NoTokenError(scope);
        const refreshAt = Math.min(
          t.refreshAfterTimestamp ?? Infinity,
          t.expiresOnTimestamp - REFRESH_MARGIN_MS,
        );
        cached = { token: t.token, refreshAt };
        return t.token;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };
}

/** A fixed token: for local endpoints and tests. */
export const staticTokenProvider =
  (token: string): TokenProvider =>
  async () =>
    token;

/** The TokenProvider for the configured authentication, with tokens scoped to `resourceUrl`. */
export function tokenProviderFor(auth: AuthSettings, resourceUrl: string): TokenProvider {
  if (auth.kind === "static") return staticTokenProvider(auth.token);
  // @azure/identity is loaded on the first token asked for, not when the module loads: it was a third of every
  // CLI command's start-up (about 0.2 s), and local runs never need it.
  let provider: Promise<TokenProvider> | undefined;
  return async () => {
    provider ??= azureCredential(auth).then((credential) => credentialTokenProvider(credential, resourceUrl));
    return (await provider)();
  };
}

async function azureCredential(auth: Exclude<AuthSettings, { kind: "static" }>): Promise<TokenCredential> {
  const identity = await import("@azure/identity");
  if (auth.kind === "clientSecret")
    return new identity.ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret);
  return auth.clientId
    ? new identity.ManagedIdentityCredential(auth.clientId)
    : new identity.ManagedIdentityCredential();
}
