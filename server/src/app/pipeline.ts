import type { InsightConfig } from "../core/config";
import { deriveDirectory, mailboxOwners } from "../core/deriveDirectory";
import type { DirectoryData, RecordScope } from "../core/directory";
import type { NumberedAddresses } from "../core/engine/addressBook";
import { RelationshipState, type StateOptions } from "../core/engine/state";
import type { Interaction } from "../core/interaction";

export interface BuiltState {
  state: RelationshipState;
  directory: DirectoryData;
  scopes: RecordScope[];
}

/**
 * Builds the relationship state while interactions arrive. With a CRM directory (from a file or
 * Dataverse) it is used as is; without one, the directory is derived from the mail once it has all been
 * read: mailbox owners are the users, external people the contacts, company domains the accounts.
 */
export class StateBuilder {
  readonly state: RelationshipState;

  constructor(
    private readonly config: InsightConfig,
    private readonly crm?: DirectoryData,
    options: StateOptions = {},
  ) {
    // Without a CRM, sides depend only on the organisation's domains: users are added when known.
    this.state = new RelationshipState(
      crm ?? {
        orgDomains: config.orgDomains,
        users: [],
        contacts: [],
        leads: [],
        accounts: [],
        opportunities: [],
      },
      config,
      undefined,
      options,
    );
  }

  add = (interactions: readonly Interaction[], numbered?: NumberedAddresses): void => {
    this.state.addAll(interactions, numbered);
  };

  finish(participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>): BuiltState {
    const { state, config } = this;
    // The state's Directory is built from the same data and configuration: its scopes are read from it
    // rather than from a second Directory (building one indexes every record again).
    if (this.crm)
      return { state, directory: this.crm, scopes: state.directory.scopes(state.externalsByDomain()) };
    const owners = [...new Set(mailboxOwners(participantsByFile, config.orgDomains).values())].sort();
    const directory = deriveDirectory(owners, state.externals(), config);
    state.setDirectory(directory);
    return { state, directory, scopes: state.directory.scopes(state.externalsByDomain()) };
  }
}

/** Builds the state from interactions already read. */
export function buildState(
  ingested: {
    interactions: readonly Interaction[];
    participantsByFile: ReadonlyMap<string, ReadonlyMap<string, number>>;
  },
  config: InsightConfig,
  crm?: DirectoryData,
): BuiltState {
  const builder = new StateBuilder(config, crm);
  builder.add(ingested.interactions);
  return builder.finish(ingested.participantsByFile);
}
