import { readFileSync } from "node:fs";

import type { AuthSettings } from "../../net/auth";

/** A missing or wrong Graph setting, named; never quotes a secret. */
export class GraphConfigError extends Error {
  override readonly name = "GraphConfigError";
  constructor(
    readonly setting: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Graph setting ${setting}: ${reason}`, options);
  }
}

export const GRAPH_SETTING = {
  auth: "GRAPH_AUTH",
  tenantId: "GRAPH_TENANT_ID",
  clientId: "GRAPH_CLIENT_ID",
  clientSecret: "GRAPH_CLIENT_SECRET",
  managedIdentityClientId: "GRAPH_MANAGED_IDENTITY_CLIENT_ID",
  token: "GRAPH_TOKEN",
  baseUrl: "GRAPH_BASE_URL",
  caFile: "GRAPH_CA_FILE",
  groups: "GRAPH_GROUPS",
  optedOut: "GRAPH_OPTED_OUT",
  monthsBack: "GRAPH_WINDOW_MONTHS_BACK",
  monthsAhead: "GRAPH_WINDOW_MONTHS_AHEAD",
  pageSize: "GRAPH_PAGE_SIZE",
  clientState: "GRAPH_CLIENT_STATE",
  notificationUrl: "GRAPH_NOTIFICATION_URL",
} as const;

export interface GraphSettings {
  baseUrl: string;
  auth: AuthSettings;
  /** PEM of an extra certificate authority (the local server's self-signed certificate). */
  ca?: string;
  /** Security group ids whose (transitive) members are synced; empty: every user. */
  groups: readonly string[];
  /** Users (ids or addresses, lower case) whose mail is never read. */
  optedOut: readonly string[];
  monthsBack: number;
  monthsAhead: number;
  pageSize: number;
  /** The secret Graph echoes in every notification (webhooks only). */
  clientState?: string;
  notificationUrl?: string;
}

const list = (v: string | undefined): string[] =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

type Config = Readonly<Record<string, string | undefined>>;

function whole(config: Config, name: string, fallback: number, max: number): number {
  const raw = config[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new GraphConfigError(name, `expected a whole number from 0 to ${max}`);
  return n;
}

/**
 * Reads the Graph settings once from a flat configuration (`process.env` or the host's app settings)
 * into a frozen object. Authentication: `GRAPH_AUTH` = `clientSecret` (tenant, client id, secret),
 * `managedIdentity`, or `static` (a token: the local server). The base URL must be https (the SDK sends
 * tokens nowhere else).
 */
export function readGraphSettings(config: Config): Readonly<GraphSettings> {
  const S = GRAPH_SETTING;
  const auth = authOf(config);
  const settings: GraphSettings = {
    baseUrl: baseUrlOf(config),
    auth: Object.freeze(auth),
    groups: Object.freeze(list(config[S.groups])),
    optedOut: Object.freeze(list(config[S.optedOut])),
    monthsBack: whole(config, S.monthsBack, 12, 600),
    monthsAhead: whole(config, S.monthsAhead, 3, 120),
    pageSize: whole(config, S.pageSize, 100, 1000) || 100,
  };
  const ca = caOf(config[S.caFile]?.trim());
  if (ca !== undefined) settings.ca = ca;
  const clientState = config[S.clientState]?.trim();
  if (clientState) {
    if (clientState.length > 128) throw new GraphConfigError(S.clientState, "at most 128 characters");
    settings.clientState = clientState;
  }
  const notificationUrl = config[S.notificationUrl]?.trim();
  if (notificationUrl) settings.notificationUrl = notificationUrl;
  return Object.freeze(settings);
}

/** A setting that must be there, trimmed. */
function need(config: Config, name: string): string {
  const value = config[name]?.trim();
  if (!value) throw new GraphConfigError(name, "missing");
  return value;
}

/** GRAPH_AUTH and what it needs; without GRAPH_AUTH, clientSecret when a secret is set, else managedIdentity. */
function authOf(config: Config): AuthSettings {
  const S = GRAPH_SETTING;
  const kind = config[S.auth]?.trim() || (config[S.clientSecret] ? "clientSecret" : "managedIdentity");
  if (kind === "clientSecret")
    return {
      kind,
      tenantId: need(config, S.tenantId),
      clientId: need(config, S.clientId),
      clientSecret: need(config, S.clientSecret),
    };
  if (kind === "managedIdentity") {
    const clientId = config[S.managedIdentityClientId]?.trim();
    return clientId ? { kind, clientId } : { kind };
  }
  if (kind === "static") return { kind, token: need(config, S.token) };
  throw new GraphConfigError(S.auth, "expected clientSecret, managedIdentity or static");
}

/** The origin of GRAPH_BASE_URL (default Graph's), with a trailing slash; https only. */
function baseUrlOf(config: Config): string {
  const name = GRAPH_SETTING.baseUrl;
  const baseUrl = config[name]?.trim() || "https://graph.microsoft.com/";
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch (e) {
    throw new GraphConfigError(name, "not a URL", { cause: e });
  }
  if (parsed.protocol !== "https:") throw new GraphConfigError(name, "expected https");
  return `${parsed.origin}/`;
}

/** The PEM in GRAPH_CA_FILE, or undefined when the setting is empty. */
function caOf(caFile: string | undefined): string | undefined {
  if (!caFile) return undefined;
  try {
    return readFileSync(caFile, "utf8");
  } catch (e) {
    throw new GraphConfigError(
      GRAPH_SETTING.caFile,
      `cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      { cause: e },
    );
  }
}
