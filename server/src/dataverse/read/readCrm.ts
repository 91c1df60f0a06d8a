import type { InsightConfig } from "../../core/config";
import type { DirectoryData } from "../../core/directory";
import { type DataverseClient, LOOKUP_LOGICAL_NAME } from "../client";
import type { AddressOf } from "./activityEnvelopes";
import {
  type CrmRows,
  DIRECTORY_SELECT,
  directoryFromRows,
  linkedRecords,
  type Row,
} from "./directoryFromRows";
import { type ConnectionsRead, readConnections } from "./readConnections";

export interface CrmRead {
  directory: DirectoryData;
  /** Records whose lookup to their insight row is already set. */
  linked: Set<string>;
  /** A party's address by its record id (users, contacts, leads), for activity parties without one. */
  addressOf: AddressOf;
  /** Rows read per table (connectionroles: the active Stakeholder and Sales Team roles). */
  counts: Record<keyof CrmRows | "connectionroles" | "connections", number>;
  /** Opportunities given stakeholders or a sales team by their connections, and how many people. */
  opportunityPeople: ConnectionsRead["summary"];
}

/**
 * Reads the directory from Dataverse: users, accounts, contacts, leads and opportunities, only the
 * columns Rapport uses, every page, and each opportunity's stakeholders and sales team from its
 * connections (readConnections). Lookup table names are asked for because customer lookups
 * (a contact's parent, an opportunity's customer) may point to an account or a contact.
 */
export async function readCrm(client: DataverseClient, config: InsightConfig): Promise<CrmRead> {
  const read = (set: keyof CrmRows): Promise<Row[]> =>
    client.retrieveAll(set, { select: DIRECTORY_SELECT[set] }, { annotations: [LOOKUP_LOGICAL_NAME] });
  const [systemusers, accounts, contacts, leads, opportunities, connected] = await Promise.all([
    read("systemusers"),
    read("accounts"),
    read("contacts"),
    read("leads"),
    read("opportunities"),
    readConnections(client),
  ]);
  const rows: CrmRows = { systemusers, accounts, contacts, leads, opportunities };
  const directory = directoryFromRows(rows, config, connected.people);
  return {
    directory,
    linked: linkedRecords(rows),
    addressOf: addressesOf(directory),
    counts: {
      systemusers: systemusers.length,
      accounts: accounts.length,
      contacts: contacts.length,
      leads: leads.length,
      opportunities: opportunities.length,
      ...connected.counts,
    },
    opportunityPeople: connected.summary,
  };
}

/**
 * A party's address by its record id, from a directory read from Dataverse: each user's, contact's and
 * lead's first address (activity parties that name a record without the address used).
 */
export function addressesOf(directory: DirectoryData): AddressOf {
  const addresses = new Map<string, string>();
  for (const list of [directory.users, directory.contacts, directory.leads])
    for (const r of list) if (r.emails[0]) addresses.set(r.id, r.emails[0]);
  return (id) => (id ? addresses.get(id) : undefined);
}
