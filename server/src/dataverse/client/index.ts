/**
 * The Dataverse Web API client: the public surface. Everything else in this folder is internal.
 * See docs/dataverse-client.md for usage, retry and throttling behaviour, and limits.
 */
export { DataverseClient, DEFAULTS, MAX_CONCURRENCY } from "./client";
export type { DataverseClientOptions, CreateResult, CountResult } from "./client";
export type { TokenProvider } from "../../net/auth";
export type { RequestEvent, HttpMethod, HttpResponse } from "./http";
export type { Row, Page, PageOptions } from "./paging";
export { MAX_PAGE_SIZE, FORMATTED_VALUE, LOOKUP_LOGICAL_NAME } from "./prefer";
export { MAX_BATCH_SIZE } from "./executeBatch";
export type { BatchOptions } from "./executeBatch";
export type { BatchItemResult, BatchPart, ChangeSet, ChangeSetItem } from "./batch";
export {
  retrieveOp,
  createOp,
  updateOp,
  upsertOp,
  deleteOp,
  actionOp,
  associateOp,
  entityIdFrom,
} from "./requests";
export type {
  Operation,
  RowKey,
  UpsertMode,
  CreateOptions,
  WriteOptions,
  UpsertOptions,
  RetrieveOptions,
} from "./requests";
export {
  odataFilter,
  and,
  or,
  not,
  guid,
  identifier,
  literal,
  keySegment,
  isGuid,
  queryOptions,
} from "./odata";
export type { Filter, Guid, Identifier, FilterValue, KeyValue, AlternateKey, Query, Expand } from "./odata";
export { xml, xmlEscape } from "./fetchXml";
export type { XmlValue } from "./fetchXml";
export { scopeFor, staticTokenProvider } from "../../net/auth";
export { credentialTokenProvider, tokenProviderFor, readDataverseSettings, SETTING } from "./auth";
export type { DataverseSettings, DataverseAuthSettings } from "./auth";
export {
  DataverseError,
  NotFoundError,
  DuplicateRecordError,
  ConcurrencyMismatchError,
  ThrottledError,
  UnauthorizedError,
  ForbiddenError,
  BadRequestError,
  ServerError,
  NetworkError,
  NotExecutedError,
  InvalidValueError,
  DataverseConfigError,
} from "./errors";
export type { DataverseErrorKind } from "./errors";
