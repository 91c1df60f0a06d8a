/**
 * What the org's settings row (rp_settings) changes in a run, shared by the one-machine job
 * (`rapport publish`) and the scale-out, so that both honour an admin's choices the same way.
 */
import { ConfigError, type InsightConfig, resolveConfig } from "../core/config";
import type { DirectoryData } from "../core/directory";
import type { InsightsResult } from "../core/insights";
import type { PublishSet } from "../dataverse/publish/allRows";
import { type Features, type OrgSettings, withOrgSettings } from "../dataverse/read/settingsFromRow";
import { InputError } from "./errors";

/** The run's configuration: the host's with the org's settings over it; a bad row is named as such. */
export function runConfig(base: Readonly<InsightConfig>, settings: OrgSettings): Readonly<InsightConfig> {
  try {
    return resolveConfig(withOrgSettings(base, settings));
  } catch (err) {
    if (err instanceof ConfigError)
      throw new InputError(`rp_settings (default): ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * The directory with the colleagues who opted out (by any of their addresses, any case) marked: their
 * mail is not read and they are never shown as introducers.
 */
export function withOptedOut(directory: DirectoryData, addresses: readonly string[]): DirectoryData {
  if (addresses.length === 0) return directory;
  const out = new Set(addresses.map((a) => a.toLowerCase()));
  return {
    ...directory,
    users: directory.users.map((u) =>
      u.emails.some((e) => out.has(e.toLowerCase())) ? { ...u, optedOut: true } : u,
    ),
  };
}

/** Who knows whom off: no connections, and no introducers in any record's insight. */
export function withFeatures(result: InsightsResult, features: Features): InsightsResult {
  if (features.whoKnowsWhom) return result;
  return {
    ...result,
    connections: [],
    records: result.records.map((r) => (r.introducers.length ? { ...r, introducers: [] } : r)),
  };
}

/** Relationship analytics off: no insight or history rows (the publisher then removes those it published). */
export function featuredRows(set: PublishSet, features: Features): PublishSet {
  return features.analytics ? set : { ...set, insights: [], history: [] };
}
