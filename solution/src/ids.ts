// The stable ids live with the model: the local endpoint names the roles by the same ids.
export { braced, stableGuid } from "../../server/src/dataverse/model/ids";
