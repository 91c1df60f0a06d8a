/**
 * The Dataverse Web API client: the public surface. Everything else in this folder is internal.
 * See docs/dataverse-client.md for usage, retry and throttling behaviour, and limits.
 */
export type { TokenProvider } from "../../net/auth";
export { scopeFor, staticTokenProvider } from "../../net/auth";
export type { DataverseAuthSettings, DataverseSettings } from "./auth";
export { credentialTokenProvider, readDataverseSettings, SETTING, tokenProviderFor } from "./auth";
export type { BatchItemResult, BatchPart, ChangeSet, ChangeSetItem } from "./batch";
export type { CountResult, CreateResult, DataverseClientOptions, TableCatalog } from "./client";
export { DataverseClient, DEFAULTS, MAX_CONCURRENCY } from "./client";
export type { DataverseErrorKind } from "./errors";
export {
  BadRequestError,
  ConcurrencyMismatchError,
  DataverseConfigError,
  DataverseError,
  DuplicateRecordError,
  ForbiddenError,
  InvalidValueError,
  NetworkError,
  NotExecutedError,
  NotFoundError,
  ServerError,
  ThrottledError,
  UnauthorizedError,
} from "./errors";
export type { BatchOptions } from "./executeBatch";
export { MAX_BATCH_SIZE } from "./executeBatch";
export type { XmlValue } from "./fetchXml";
export { xml, xmlEscape } from "./fetchXml";
export type { HttpMethod, HttpResponse, RequestEvent } from "./http";
export type { AlternateKey, Expand, Filter, FilterValue, Guid, Identifier, KeyValue, Query } from "./odata";
export {
  and,
  guid,
  identifier,
  isGuid,
  keySegment,
  literal,
  not,
  odataFilter,
  or,
  queryOptions,
} from "./odata";
export type { Page, PageOptions, Row } from "./paging";
export { FORMATTED_VALUE, LOOKUP_LOGICAL_NAME, MAX_PAGE_SIZE } from "./prefer";
export type {
  CreateOptions,
  Operation,
  RetrieveOptions,
  RowKey,
  UpsertMode,
  UpsertOptions,
  WriteOptions,
} from "./requests";
export {
  actionOp,
  associateOp,
  createOp,
  deleteOp,
  entityIdFrom,
  retrieveOp,
  unboundActionOp,
  updateOp,
  upsertOp,
} from "./requests";
