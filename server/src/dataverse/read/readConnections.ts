import { and, type DataverseClient, guid, LOOKUP_LOGICAL_NAME, odataFilter, or } from "../client";
import type { Row } from "./directoryFromRows";
import {
  CONNECTION_SELECT,
  OPPORTUNITY_ROLE_CATEGORIES,
  type OpportunityPeople,
  opportunityPeople,
  opportunityRoles,
} from "./opportunityPeople";

/**
 * Role ids per connections request. Each adds about 60 characters to the URL; 50 keep it near 3 KB,
 * far below Dataverse's URL limit and the local endpoint's 500 conditions.
 */
export const ROLE_IDS_PER_REQUEST = 50;

export interface ConnectionsRead {
  people: Map<string, OpportunityPeople>;
  /** Active Stakeholder and Sales Team roles, and the active connections read with them. */
  counts: { connectionroles: number; connections: number };
  /** Opportunities with a stakeholder or a sales team member, and how many of each (each once per opportunity). */
  summary: { opportunities: number; stakeholders: number; salesTeam: number };
}

/**
 * Reads each opportunity's stakeholders and sales team: the active connection roles of the Stakeholder
 * and Sales Team categories, then the active connections whose record2 role is one of them, a request per
 * {@link ROLE_IDS_PER_REQUEST} roles, every page; record1's and record2's tables come from the lookup
 * annotation. No such role, no connections request. `rolesPerRequest` is for tests.
 *
 *     GET connectionroles?$select=connectionroleid,category&$filter=(statecode eq 0) and ((category eq 1000) or (category eq 1001))
 *     GET connections?$select=_record1id_value,_record2id_value,_record2roleid_value
 *         &$filter=(statecode eq 0) and ((_record2roleid_value eq <id>) or (_record2roleid_value eq <id>) …)
 *     Prefer: odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"
 */
export async function readConnections(
  client: DataverseClient,
  rolesPerRequest = ROLE_IDS_PER_REQUEST,
): Promise<ConnectionsRead> {
  const [stakeholder, salesTeam] = OPPORTUNITY_ROLE_CATEGORIES;
  const roleRows = await client.retrieveAll("connectionroles", {
    select: CONNECTION_SELECT.connectionroles,
    filter: and(
      odataFilter`statecode eq ${0}`,
      or(odataFilter`category eq ${stakeholder}`, odataFilter`category eq ${salesTeam}`),
    ),
  });
  const roles = opportunityRoles(roleRows);
  const ids = [...roles.keys()].sort();
  const connections: Row[] = [];
  for (let i = 0; i < ids.length; i += rolesPerRequest) {
    const chunk = ids.slice(i, i + rolesPerRequest);
    const rows = await client.retrieveAll(
      "connections",
      {
        select: CONNECTION_SELECT.connections,
        filter: and(
          odataFilter`statecode eq ${0}`,
          or(...chunk.map((r) => odataFilter`_record2roleid_value eq ${guid(r, "connectionroleid")}`)),
        ),
      },
      { annotations: [LOOKUP_LOGICAL_NAME] },
    );
    for (const r of rows) connections.push(r);
  }
  const people = opportunityPeople(roles, connections);
  const summary = { opportunities: people.size, stakeholders: 0, salesTeam: 0 };
  for (const p of people.values()) {
    summary.stakeholders += p.contactIds.length;
    summary.salesTeam += p.userIds.length;
  }
  return { people, counts: { connectionroles: roles.size, connections: connections.length }, summary };
}
