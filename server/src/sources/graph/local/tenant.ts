import { Collection, type GraphItem } from "./collection";

/** The mail folders the local server keeps per mailbox (Graph well-known names). */
export const LOCAL_FOLDERS = ["inbox", "sentitems"] as const;
export type LocalFolder = (typeof LOCAL_FOLDERS)[number];

/** A directory user as Graph returns it (the properties Rapport selects, and a few more). */
export interface LocalUser {
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
  /** "SMTP:primary", then "smtp:alias" entries. */
  proxyAddresses: string[];
  accountEnabled: boolean;
}

export interface LocalMailbox {
  folders: Record<LocalFolder, Collection>;
  calendar: Collection;
}

/**
 * The data of a local tenant: users, security groups and each user's mailbox. Tests change it while the
 * server runs (a message arrives, one is deleted) and the next delta round reports the change.
 */
export class LocalTenant {
  readonly users: LocalUser[] = [];
  readonly groups = new Map<string, { displayName: string; members: string[] }>();
  private readonly mailboxes = new Map<string, LocalMailbox>();

  addUser(user: LocalUser): LocalMailbox {
    this.users.push(user);
    const mailbox: LocalMailbox = {
      folders: { inbox: new Collection(), sentitems: new Collection() },
      calendar: new Collection(),
    };
    this.mailboxes.set(user.id.toLowerCase(), mailbox);
    return mailbox;
  }

  /** A user by id or by any of their addresses (Graph accepts both in /users/{id-or-upn}). */
  user(idOrAddress: string): LocalUser | undefined {
    const key = idOrAddress.toLowerCase();
    return this.users.find(
      (u) =>
        u.id.toLowerCase() === key ||
        u.userPrincipalName.toLowerCase() === key ||
        u.proxyAddresses.some((p) => p.slice(p.indexOf(":") + 1).toLowerCase() === key),
    );
  }

  mailbox(userId: string): LocalMailbox | undefined {
    return this.mailboxes.get(userId.toLowerCase());
  }

  /** Adds a message to a folder (or replaces it: an update). */
  putMessage(userId: string, folder: LocalFolder, item: GraphItem): void {
    this.mailboxOrThrow(userId).folders[folder].put(item);
  }

  removeMessage(userId: string, folder: LocalFolder, id: string): boolean {
    return this.mailboxOrThrow(userId).folders[folder].remove(id);
  }

  putEvent(userId: string, item: GraphItem): void {
    this.mailboxOrThrow(userId).calendar.put(item);
  }

  /** Messages and events held, all mailboxes together. */
  counts(): { messages: number; events: number } {
    let messages = 0;
    let events = 0;
    for (const m of this.mailboxes.values()) {
      for (const f of LOCAL_FOLDERS) messages += m.folders[f].size;
      events += m.calendar.size;
    }
    return { messages, events };
  }

  private mailboxOrThrow(userId: string): LocalMailbox {
    const m = this.mailbox(userId);
    if (!m) throw new RangeError(`local tenant: no mailbox for user ${userId}`);
    return m;
  }
}
