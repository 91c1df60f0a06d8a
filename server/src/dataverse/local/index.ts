/** The local Dataverse-compatible endpoint (Web API over SQLite): see docs/local-dataverse.md. */
export { MAX_BATCH_REQUESTS } from "./batch";
export { DataverseHttpError, LocalDataverseStartError } from "./errors";
export type { FaultOptions, FaultRule } from "./faults";
export { callerOf, LOCAL_ADMINISTRATOR_ID } from "./identity";
export { MAX_PAGE_SIZE } from "./queryEngine";
export { crossSiteRefusal } from "./sameSite";
export { KNOWN_ROLES, SYSTEM_ADMINISTRATOR } from "./security";
export {
  DEFAULT_MAX_BODY_BYTES,
  type LocalDataverse,
  type LocalDataverseOptions,
  type LocalDataverseStats,
  type SeedData,
  startLocalDataverse,
} from "./server";
