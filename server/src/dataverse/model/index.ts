/**
 * The model as the server imports it: the @rapport/model package (model/src: tables, columns, choices,
 * roles, column JSON shapes) and the ids derived with Node's crypto, which stay out of the package so that
 * browser bundles can import it; and the tables as the Dataverse client's catalog (MODEL_TABLES), which the
 * client, knowing no table of its own, is given by whoever needs FetchXML entity sets or id columns.
 */
export { braced, roleId, stableGuid } from "./ids";
export { MODEL_TABLES } from "./tableCatalog";
export * from "@rapport/model";
