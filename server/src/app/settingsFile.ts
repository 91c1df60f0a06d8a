import { readFileSync } from "node:fs";

import { ConfigError, type InsightConfig, resolveConfig } from "../core/config";
import { InputError } from "./errors";

/** Settings read from a JSON file: any subset of InsightConfig, merged over the named defaults. */
export class SettingsFileError extends InputError {
  override readonly name = "SettingsFileError";
}

/**
 * Reads a settings file (weights, cadence, thresholds, exclusions, ...) and merges it over the defaults
 * and the command line's organisation domains, naming the file and the setting when something is wrong.
 */
export function readSettings(file: string | undefined, orgDomains: string[]): Readonly<InsightConfig> {
  let partial: Partial<InsightConfig> = {};
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new SettingsFileError(`${file}: expected a JSON object of settings`);
      partial = parsed as Partial<InsightConfig>;
    } catch (err) {
      if (err instanceof SettingsFileError) throw err;
      throw new SettingsFileError(
        `${file}: not valid JSON (${err instanceof Error ? (err.message.split("\n")[0] ?? "") : "parse error"})`,
        { cause: err },
      );
    }
  }
  try {
    return resolveConfig({ ...partial, orgDomains: [...orgDomains, ...(partial.orgDomains ?? [])] });
  } catch (err) {
    if (err instanceof ConfigError)
      throw new SettingsFileError(`${file ?? "settings"}: ${err.message}`, { cause: err });
    throw err;
  }
}
