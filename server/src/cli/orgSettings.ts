import { DataverseConfigError, type DataverseSettings, readDataverseSettings } from "../dataverse/client";
import { CliError } from "./errors";

/** The org to use, from the environment (DATAVERSE_*); a setting that is wrong is a usage error. */
export function orgSettings(): DataverseSettings {
  try {
    return readDataverseSettings(process.env);
  } catch (err) {
    if (err instanceof DataverseConfigError) throw new CliError(err.message, { cause: err });
    throw err;
  }
}
