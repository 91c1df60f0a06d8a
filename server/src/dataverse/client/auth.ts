import type { TokenCredential } from "@azure/identity";

import {
  type AuthSettings,
  credentialTokenProvider as anyCredentialTokenProvider,
  NoTokenError,
  type TokenProvider,
  tokenProviderFor as anyTokenProviderFor,
} from "../../net/auth";
import { DataverseConfigError } from "./errors";

/**
 * The Dataverse settings (org URL, authentication, concurrency), parsed once from configuration; a missing
 * one fails at start with its name. Tokens come from net/auth; a credential that issues none is a
 * configuration error here. Secrets never appear in messages.
 */

/** A credential's TokenProvider for an org; no token issued is a {@link DataverseConfigError}. */
export function credentialTokenProvider(
  credential: TokenCredential,
  orgUrl: string,
  now: () => number = Date.now,
): TokenProvider {
  return asConfigError(anyCredentialTokenProvider(credential, orgUrl, now));
}

function asConfigError(provider: TokenProvider): TokenProvider {
  return () =>
    provider().catch((err: unknown) => {
      if (err instanceof NoTokenError)
        throw new DataverseConfigError("credential", err.message, { cause: err });
      throw err;
    });
}

export type DataverseAuthSettings = AuthSettings;

export interface DataverseSettings {
  /** The org (environment) URL, e.g. `https://contoso.crm.dynamics.com`, or the local endpoint. */
  url: string;
  auth: DataverseAuthSettings;
  maxConcurrency?: number;
}

/** The setting names read by {@link readDataverseSettings}. */
export const SETTING = {
  url: "DATAVERSE_URL",
  auth: "DATAVERSE_AUTH",
  tenantId: "DATAVERSE_TENANT_ID",
  clientId: "DATAVERSE_CLIENT_ID",
  clientSecret: "DATAVERSE_CLIENT_SECRET",
  managedIdentityClientId: "DATAVERSE_MANAGED_IDENTITY_CLIENT_ID",
  token: "DATAVERSE_TOKEN",
  maxConcurrency: "DATAVERSE_MAX_CONCURRENCY",
} as const;

/**
 * Reads the Dataverse settings from a flat configuration (the host passes `process.env` or its own
 * settings map). `DATAVERSE_AUTH` is `clientSecret`, `managedIdentity` or `static`. Plain `http:` is
 * accepted only for a loopback host, so a bearer token never crosses a network unencrypted.
 */
export function readDataverseSettings(
  config: Readonly<Record<string, string | undefined>>,
): Readonly<DataverseSettings> {
  const need = (name: string): string => {
    const value = config[name]?.trim();
    if (!value) throw new DataverseConfigError(name, "missing");
    return value;
  };
  const url = checkOrgUrl(need(SETTING.url));
  const kind = need(SETTING.auth);
  let auth: DataverseAuthSettings;
  switch (kind) {
    case "clientSecret":
      auth = {
        kind,
        tenantId: need(SETTING.tenantId),
        clientId: need(SETTING.clientId),
        clientSecret: need(SETTING.clientSecret),
      };
      break;
    case "managedIdentity": {
      const clientId = config[SETTING.managedIdentityClientId]?.trim();
      auth = clientId ? { kind, clientId } : { kind };
      break;
    }
    case "static":
      auth = { kind, token: need(SETTING.token) };
      break;
    default:
      throw new DataverseConfigError(SETTING.auth, "expected clientSecret, managedIdentity or static");
  }
  const settings: DataverseSettings = { url, auth };
  const max = config[SETTING.maxConcurrency]?.trim();
  if (max) {
    const n = Number(max);
    if (!Number.isInteger(n) || n < 1 || n > 52)
      throw new DataverseConfigError(SETTING.maxConcurrency, "expected an integer from 1 to 52");
    settings.maxConcurrency = n;
  }
  return Object.freeze({ ...settings, auth: Object.freeze(auth) });
}

/** Checks an org URL: http(s), no credentials, no query; http only for loopback. Returns it without trailing slash. */
export function checkOrgUrl(value: string, setting: string = SETTING.url): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (err) {
    throw new DataverseConfigError(setting, "not a URL", { cause: err });
  }
  // Never echoed: the URL's user information would be a password on the terminal.
  if (url.username || url.password)
    throw new DataverseConfigError(
      setting,
      "must not carry a user name or password (give the credentials in DATAVERSE_AUTH and its settings)",
    );
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
    throw new DataverseConfigError(setting, "expected https (http only for localhost)");
  if (url.search || url.hash) throw new DataverseConfigError(setting, "must not have a query or fragment");
  return url.href.replace(/\/+$/, "");
}

/** The TokenProvider for the configured authentication, scoped to the org. */
export function tokenProviderFor(settings: DataverseSettings): TokenProvider {
  return asConfigError(anyTokenProviderFor(settings.auth, settings.url));
}
