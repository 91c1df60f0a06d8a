import { tableByEntitySet, tableByLogicalName } from "@rapport/model";

import type { TableCatalog } from "../client";

/**
 * The model's tables as the Dataverse client's catalog (the client knows no table of its own): entity
 * sets by logical name and primary id columns by entity set, for FetchXML, `count` and creates.
 */
export const MODEL_TABLES: TableCatalog = {
  entitySetOf: (logicalName) => tableByLogicalName(logicalName)?.entitySetName,
  primaryIdOf: (entitySet) => tableByEntitySet(entitySet)?.primaryIdColumn,
};
