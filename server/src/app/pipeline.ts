import type { InsightConfig } from "../core/config";
import { deriveDirectory, mailboxOwners, nameFromAddress } from "../core/deriveDirectory";
import { Directory, type DirectoryData, type RecordScope } from "../core/directory";
import { hash53 } from "../core/hash";
import type { Interaction } from "../core/interaction";
import { RelationshipState } from "../core/state";
import type { Ingested } from "./ingest";

export interface BuiltState {
  state: RelationshipState;
  directory: DirectoryData;
  scopes: RecordScope[];
}

/**
 * Builds the relationship state from ingested interactions. With a CRM directory (from a file or
 * Dataverse) it is used as is; without one, the directory is derived from the mail: mailbox owners are
 * the users, external people the contacts, company domains the accounts.
 */
export function buildState(
  ingested: Pick<Ingested, "interactions" | "participantsByFile">,
  config: InsightConfig,
  crm?: DirectoryData,
): BuiltState {
  if (crm) {
    const state = new RelationshipState(crm, config);
    state.addAll(ingested.interactions);
    return { state, directory: crm, scopes: new Directory(crm, config).scopes(state.externalsByDomain()) };
  }
  const owners = [...mailboxOwners(ingested.participantsByFile, config.orgDomains).values()];
  const users = [...new Set(owners)]
    .sort()
    .map((a) => ({ id: `u-${hash53(a)}`, name: nameFromAddress(a), emails: [a] }));
  const state = new RelationshipState(
    { orgDomains: config.orgDomains, users, contacts: [], leads: [], accounts: [], opportunities: [] },
    config,
  );
  state.addAll(ingested.interactions);
  const directory = deriveDirectory(owners, state.externals(), config);
  return { state, directory, scopes: new Directory(directory, config).scopes(state.externalsByDomain()) };
}

export function addInteractions(built: BuiltState, interactions: Iterable<Interaction>): number {
  return built.state.addAll(interactions);
}
