/**
 * The model as the server imports it: the @rapport/model package (model/src: tables, columns, choices,
 * roles, column JSON shapes) and the ids derived with Node's crypto, which stay out of the package so that
 * browser bundles can import it.
 */
export { braced, roleId, stableGuid } from "./ids";
export * from "@rapport/model";
