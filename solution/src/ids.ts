// The stable ids are derived with Node's crypto, so they stay out of @rapport/model (which browser bundles
// import) and live with the server: the local endpoint names the roles by the same ids.
export { braced, roleId, stableGuid } from "../../server/src/dataverse/model";
