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
export function readScaleSettings(
  rawEnv: Readonly<Record<string, string | undefined>>,
): Readonly<ScaleSettings> {
  const r = new SettingsReader(rawEnv);
  const storage = storageOf(r);
  const orgDomains = r
    .need(SETTINGS.orgDomains)
    .split(",")
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const mailboxFolder = r.get(SETTINGS.mailboxFolder);
  const graph = mailboxFolder ? undefined : r.attempt(() => readGraphSettings(r.env));
  const graphClientState = r.need(SETTINGS.graphClientState);
  if (graphClientState && graphClientState.length > 128)
    r.problems.push(`${SETTINGS.graphClientState}: at most 128 characters`);
  const partitions = partitionsOf(r);
  const asOf = asOfOf(r);
  const incrementalText = (r.get(SETTINGS.incremental) ?? "true").toLowerCase();
  if (incrementalText !== "true" && incrementalText !== "false")
    r.problems.push(`${SETTINGS.incremental}: expected true or false`);
  const dataverse = r.get("DATAVERSE_URL") ? r.attempt(() => readDataverseSettings(r.env)) : undefined;
  if (r.missing.length || r.problems.length) throw new SettingsError(r.missing, r.problems);
  return Object.freeze({
    ...storage,
    container: r.get(SETTINGS.container) ?? "rapport",
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

/**
 * Reads app settings, collecting what is missing and what is wrong (to name them all at once). A Key Vault
 * reference left unresolved counts as missing and is not read.
 */
class SettingsReader {
  readonly missing: string[] = [];
  readonly problems: string[] = [];
  /** The settings without the unresolved references. */
  readonly env: Readonly<Record<string, string | undefined>>;
  private readonly unresolved: string[];

  constructor(rawEnv: Readonly<Record<string, string | undefined>>) {
    this.unresolved = Object.keys(rawEnv)
      .filter((name) => isKeyVaultReference(rawEnv[name]))
      .sort();
    this.env = Object.fromEntries(Object.entries(rawEnv).filter(([name]) => !this.unresolved.includes(name)));
    for (const name of this.unresolved) this.missing.push(`${name} (Key Vault reference not resolved)`);
  }

  /** A setting, trimmed; undefined when empty. */
  get(name: string): string | undefined {
    return this.env[name]?.trim() || undefined;
  }

  /** A setting that must be there ("" and named as missing when it is not). */
  need(name: string): string {
    const v = this.get(name);
    if (!v && !this.unresolved.includes(name)) this.missing.push(name);
    return v ?? "";
  }

  /** What `read` returns, or undefined with its error's message kept as a problem. */
  attempt<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (err) {
      this.problems.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }
}

/** Where the app's storage is: a connection string or an account name (one of them is needed). */
function storageOf(r: SettingsReader): Pick<ScaleSettings, "storageConnection" | "storageAccount"> {
  const storageConnection = r.get(SETTINGS.storage);
  const storageAccount = r.get(SETTINGS.storageAccount);
  if (!storageConnection && !storageAccount)
    r.missing.push(`${SETTINGS.storage} (or ${SETTINGS.storageAccount})`);
  return {
    ...(storageConnection ? { storageConnection } : {}),
    ...(storageAccount ? { storageAccount } : {}),
  };
}

/** RAPPORT_PARTITIONS: a whole number from 1 to 4096, 16 by default. */
function partitionsOf(r: SettingsReader): number {
  const partitions = Number(r.get(SETTINGS.partitions) ?? "16");
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 4096)
    r.problems.push(`${SETTINGS.partitions}: expected an integer from 1 to 4096`);
  return partitions;
}

/** RAPPORT_AS_OF: a date (YYYY-MM-DD) as epoch ms at its start, UTC; undefined when not set. */
function asOfOf(r: SettingsReader): number | undefined {
  const asOfText = r.get(SETTINGS.asOf);
  const asOf = asOfText ? Date.parse(`${asOfText}T00:00:00Z`) : undefined;
  if (asOf !== undefined && !Number.isFinite(asOf))
    r.problems.push(`${SETTINGS.asOf}: expected a date YYYY-MM-DD`);
  return asOf;
}
