/** The local Dataverse-compatible endpoint (Web API over SQLite): see docs/local-dataverse.md. */
export {
  startLocalDataverse,
  DEFAULT_MAX_BODY_BYTES,
  type LocalDataverse,
  type LocalDataverseOptions,
  type LocalDataverseStats,
  type SeedData,
} from "./server";
export type { FaultOptions, FaultRule } from "./faults";
export { LocalDataverseStartError, DataverseHttpError } from "./errors";
export { MAX_BATCH_REQUESTS } from "./batch";
export { MAX_PAGE_SIZE } from "./queryEngine";
export { callerOf, LOCAL_ADMINISTRATOR_ID } from "./identity";
export { KNOWN_ROLES, SYSTEM_ADMINISTRATOR } from "./security";
export { crossSiteRefusal } from "./sameSite";
