import type { Cadence, InsightConfig } from "../../core/config";
import type { RecordType } from "../../core/interaction";
import { choiceName } from "../model";
import type { Row } from "./directoryFromRows";

/** What an admin sets in the rp_settings row, as configuration. */
export interface OrgSettings {
  config: Partial<InsightConfig>;
  /** Colleagues (by address) who opted out: their mail is not read and they are never shown. */
  optedOutUsers: string[];
  introductionTemplate?: string;
  /** What the org runs; a column left empty (a row saved before it existed) means on. */
  features: Features;
  /**
   * Security roles (names or ids, as typed) allowed to see who knows whom; empty: every role that can
   * read rp_connection. The engine does not enforce it: Dataverse privileges and the controls do.
   */
  whoKnowsWhomRoles: string[];
}

export interface Features {
  /** Relationship analytics: insight and history rows. Off: none published, existing ones removed. */
  analytics: boolean;
  /** Who knows whom: connection rows and introducers. Off: none published, existing ones removed. */
  whoKnowsWhom: boolean;
  /** Microsoft 365 mail and calendar. Off: insights come from Dataverse activities only. */
  m365: boolean;
}

export const ALL_FEATURES: Readonly<Features> = Object.freeze({
  analytics: true,
  whoKnowsWhom: true,
  m365: true,
});

const on = (v: unknown): boolean => v !== false;

/** One entry per line, trimmed, case kept (role names), duplicates (ignoring case) dropped. */
export function linesOf(v: unknown): string[] {
  if (typeof v !== "string") return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of v.split(/\r?\n/)) {
    const t = line.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

/** Dynamics stores activity influence as 3..9 around a neutral 6 (±50%); the engine as 0.5..1.5. */
const weight = (v: unknown): number | undefined =>
  typeof v === "number" && v >= 3 && v <= 9 ? Math.round((v / 6) * 1000) / 1000 : undefined;

/** A list typed by an admin: one entry per line, or separated by commas or semicolons. */
export function listOf(v: unknown): string[] {
  if (typeof v !== "string") return [];
  return [
    ...new Set(
      v
        .split(/[\n,;]+/)
        .map((s) => s.trim().toLowerCase().replace(/^@/, ""))
        .filter(Boolean),
    ),
  ];
}

/** The settings row as configuration: only what the admin set; the rest keeps its default. */
export function settingsFromRow(row: Row | undefined): OrgSettings {
  if (!row) return { config: {}, optedOutUsers: [], features: { ...ALL_FEATURES }, whoKnowsWhomRoles: [] };
  const template =
    typeof row["rp_introductiontemplate"] === "string" ? row["rp_introductiontemplate"] : undefined;
  return {
    config: configFromRow(row),
    optedOutUsers: listOf(row["rp_optedoutusers"]),
    ...(template ? { introductionTemplate: template } : {}),
    features: {
      analytics: on(row["rp_analyticsenabled"]),
      whoKnowsWhom: on(row["rp_whoknowswhomenabled"]),
      m365: on(row["rp_m365enabled"]),
    },
    whoKnowsWhomRoles: linesOf(row["rp_whoknowswhomroles"]),
  };
}

/** The columns the admin set, as configuration, in this order: weights, cadence, thresholds, the lists. */
function configFromRow(row: Row): Partial<InsightConfig> {
  const config: Partial<InsightConfig> = {};
  const weights = weightsOf(row);
  if (Object.keys(weights).length) config.weights = weights as InsightConfig["weights"];
  const cadence = cadenceOf(row);
  if (Object.keys(cadence).length) config.cadence = cadence as InsightConfig["cadence"];
  const thresholds = thresholdsOf(row);
  if (thresholds) config.thresholds = thresholds;
  for (const [key, column] of LIST_COLUMNS) {
    const list = listOf(row[column]);
    if (list.length) config[key] = list;
  }
  return config;
}

const LIST_COLUMNS = [
  ["orgDomains", "rp_orgdomains"],
  ["excludedDomains", "rp_excludeddomains"],
  ["excludedAddresses", "rp_excludedaddresses"],
] as const;

/** The activity weights set (3..9 on the form), as the engine's factors. */
function weightsOf(row: Row): Partial<InsightConfig["weights"]> {
  const weights: Partial<InsightConfig["weights"]> = {};
  for (const [kind, column] of [
    ["email", "rp_emailweight"],
    ["meeting", "rp_meetingweight"],
    ["call", "rp_phonecallweight"],
    ["task", "rp_taskweight"],
  ] as const) {
    const w = weight(row[column]);
    if (w !== undefined) weights[kind] = w;
  }
  return weights;
}

/** The expected cadence set per record type. */
function cadenceOf(row: Row): Partial<Record<RecordType, Cadence>> {
  const cadence: Partial<Record<RecordType, Cadence>> = {};
  for (const type of ["contact", "lead", "opportunity", "account"] as const) {
    const c = choiceName(
      "cadence",
      typeof row[`rp_cadence${type}`] === "number" ? (row[`rp_cadence${type}`] as number) : null,
    );
    if (c) cadence[type] = c as Cadence;
  }
  return cadence;
}

/** The health thresholds set (either or both), or undefined for none. */
function thresholdsOf(row: Row): InsightConfig["thresholds"] | undefined {
  const good = row["rp_goodthreshold"];
  const fair = row["rp_fairthreshold"];
  if (typeof good !== "number" && typeof fair !== "number") return undefined;
  return {
    ...(typeof good === "number" ? { good } : {}),
    ...(typeof fair === "number" ? { fair } : {}),
  } as InsightConfig["thresholds"];
}

/** The run's configuration: the host's (file, command line) with the org's settings over it; lists add up. */
export function withOrgSettings(base: Readonly<InsightConfig>, org: OrgSettings): Partial<InsightConfig> {
  const c = org.config;
  return {
    ...base,
    ...(c.weights ? { weights: { ...base.weights, ...c.weights } } : {}),
    ...(c.cadence ? { cadence: { ...base.cadence, ...c.cadence } } : {}),
    ...(c.thresholds ? { thresholds: { ...base.thresholds, ...c.thresholds } } : {}),
    orgDomains: [...new Set([...base.orgDomains, ...(c.orgDomains ?? [])])],
    excludedDomains: [...new Set([...base.excludedDomains, ...(c.excludedDomains ?? [])])],
    excludedAddresses: [...new Set([...base.excludedAddresses, ...(c.excludedAddresses ?? [])])],
  };
}
