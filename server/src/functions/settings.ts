import { type DataverseSettings, readDataverseSettings } from "../dataverse/client";
import { type GraphSettings, readGraphSettings } from "../sources/graph/graphSettings";

/** The Functions app's configuration, read once at start from its app settings (Key Vault references in Azure). */
export interface ScaleSettings {
  /** Storage connection string (Azurite locally); in Azure the app uses its managed identity instead. */
  storageConnection?: string;
  /** Storage account name, for managed-identity access (`AzureWebJobsStorage__accountName`). */
  storageAccount?: string;
  container: string;
  orgDomains: string[];
  partitions: number;
  /**
   * Where mailboxes are read: a folder of per-mailbox files (`RAPPORT_MAILBOX_FOLDER`: exports, the
   * sample, benchmarks) or, without one, Microsoft Graph with the `GRAPH_*` settings of `rapport sync`.
   */
  mailboxFolder?: string;
  graph?: GraphSettings;
  /** Graph change notifications must carry this clientState (a secret). */
  graphClientState: string;
  /** Compute as of this instant instead of the clock (epoch ms; a fixed history such as the sample). */
  asOf?: number;
  /** Publish to Dataverse (its settings present) or, without them, to a blob of the merged result. */
  dataverse?: DataverseSettings;
  /**
   * Keep partition state between runs and make runs incremental where they can be (`RAPPORT_INCREMENTAL`,
   * on unless `false`; see docs/scale-out.md, "Incremental runs").
   */
  incremental: boolean;
}

export class SettingsError extends Error {
  override readonly name = "SettingsError";
  constructor(
    readonly missing: readonly string[],
    problems: readonly string[] = [],
  ) {
    super(
      [missing.length ? `missing app settings: ${missing.join(", ")}` : "", ...problems]
        .filter(Boolean)
        .join("; "),
    );
  }
}

export const SETTINGS = {
  storage: "AzureWebJobsStorage",
  storageAccount: "AzureWebJobsStorage__accountName",
  container: "RAPPORT_CONTAINER",
  orgDomains: "RAPPORT_ORG_DOMAINS",
  partitions: "RAPPORT_PARTITIONS",
  mailboxFolder: "RAPPORT_MAILBOX_FOLDER",
  graphClientState: "GRAPH_CLIENT_STATE",
  asOf: "RAPPORT_AS_OF",
  incremental: "RAPPORT_INCREMENTAL",
} as const;

/**
 * An app setting the platform did not resolve: App Service replaces `@Microsoft.KeyVault(...)` with the
 * secret when the app's identity can read it, and otherwise passes the reference on as it is.
 */
export function isKeyVaultReference(value: string | undefined): boolean {
  return value !== undefined && /^\s*@Microsoft\.KeyVault\s*\(/i.test(value);
}

/**
 * Reads the settings, naming every missing one at once (not just the first), and freezes them. Dataverse
 * is configured when `DATAVERSE_URL` is set, with the same settings as `rapport publish`. A Key Vault
 * reference left unresolved counts as missing, named as such (never its value).
 */
// eslint-disable-next-line complexity -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function readScaleSettings(
  rawEnv: Readonly<Record<string, string | undefined>>,
): Readonly<ScaleSettings> {
  const missing: string[] = [];
  const problems: string[] = [];
  const unresolved = Object.keys(rawEnv)
    .filter((name) => isKeyVaultReference(rawEnv[name]))
    .sort();
  const env: Readonly<Record<string, string | undefined>> = Object.fromEntries(
    Object.entries(rawEnv).filter(([name]) => !unresolved.includes(name)),
  );
  for (const name of unresolved) missing.push(`${name} (Key Vault reference not resolved)`);
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const need = (name: string): string => {
    const v = get(name);
    if (!v && !unresolved.includes(name)) missing.push(name);
    return v ?? "";
  };
  const storageConnection = get(SETTINGS.storage);
  const storageAccount = get(SETTINGS.storageAccount);
  if (!storageConnection && !storageAccount)
    missing.push(`${SETTINGS.storage} (or ${SETTINGS.storageAccount})`);
  const orgDomains = need(SETTINGS.orgDomains)
    .split(",")
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const mailboxFolder = get(SETTINGS.mailboxFolder);
  let graph: GraphSettings | undefined;
  if (!mailboxFolder)
    try {
      graph = readGraphSettings(env);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  const graphClientState = need(SETTINGS.graphClientState);
  if (graphClientState && graphClientState.length > 128)
    problems.push(`${SETTINGS.graphClientState}: at most 128 characters`);
  const partitions = Number(get(SETTINGS.partitions) ?? "16");
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 4096)
    problems.push(`${SETTINGS.partitions}: expected an integer from 1 to 4096`);
  const asOfText = get(SETTINGS.asOf);
  const asOf = asOfText ? Date.parse(`${asOfText}T00:00:00Z`) : undefined;
  if (asOf !== undefined && !Number.isFinite(asOf))
    problems.push(`${SETTINGS.asOf}: expected a date YYYY-MM-DD`);
  const incrementalText = (get(SETTINGS.incremental) ?? "true").toLowerCase();
  if (incrementalText !== "true" && incrementalText !== "false")
    problems.push(`${SETTINGS.incremental}: expected true or false`);
  let dataverse: DataverseSettings | undefined;
  if (get("DATAVERSE_URL")) {
    try {
      dataverse = readDataverseSettings(env);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (missing.length || problems.length) throw new SettingsError(missing, problems);
  return Object.freeze({
    ...(storageConnection ? { storageConnection } : {}),
    ...(storageAccount ? { storageAccount } : {}),
    container: get(SETTINGS.container) ?? "rapport",
    orgDomains: Object.freeze(orgDomains) as string[],
    partitions,
    ...(mailboxFolder ? { mailboxFolder } : {}),
    ...(graph ? { graph } : {}),
    graphClientState,
    ...(asOf !== undefined ? { asOf } : {}),
    ...(dataverse ? { dataverse } : {}),
    incremental: incrementalText !== "false",
  });
}
