import type { GraphPort } from "./graphPort";

/** A mailbox to sync: the directory user with every address they receive mail at. */
export interface SyncUser {
  id: string;
  name: string;
  /** Primary SMTP address first, then the aliases from proxyAddresses. */
  emails: string[];
  enabled: boolean;
}

export const USER_SELECT = "id,displayName,mail,userPrincipalName,proxyAddresses,accountEnabled";

/** A Graph user as a SyncUser: "SMTP:" marks the primary address, "smtp:" aliases; other types are left out. */
export function toSyncUser(value: unknown): SyncUser | undefined {
  const u = (value ?? {}) as Record<string, unknown>;
  if (typeof u.id !== "string") return undefined;
  const proxies = Array.isArray(u.proxyAddresses)
    ? u.proxyAddresses.filter((p): p is string => typeof p === "string")
    : [];
  const smtp = proxies.filter((p) => /^smtp:/i.test(p));
  const primary =
    smtp.find((p) => p.startsWith("SMTP:"))?.slice(5) ?? (typeof u.mail === "string" ? u.mail : undefined);
  const emails = [primary, ...smtp.map((p) => p.slice(5))]
    .filter((a): a is string => typeof a === "string" && a.includes("@"))
    .map((a) => a.trim().toLowerCase());
  return {
    id: u.id,
    name: typeof u.displayName === "string" ? u.displayName : "",
    emails: [...new Set(emails)],
    enabled: u.accountEnabled !== false,
  };
}

async function* allPages(port: GraphPort, url: string): AsyncGenerator<unknown> {
  let next: string | undefined = url;
  while (next) {
    const page = await port.page(next);
    yield* page.value;
    next = page.nextLink;
  }
}

/**
 * The users whose mailboxes are in scope: members (transitive) of the configured security groups, or
 * every user when none is configured; each once, with aliases.
 */
export async function listUsers(port: GraphPort, groups: readonly string[]): Promise<SyncUser[]> {
  const urls = groups.length
    ? groups.map(
        (g) =>
          `/groups/${encodeURIComponent(g)}/transitiveMembers/microsoft.graph.user?$select=${USER_SELECT}&$top=999`,
      )
    : [`/users?$select=${USER_SELECT}&$top=999`];
  const byId = new Map<string, SyncUser>();
  for (const url of urls) {
    for await (const value of allPages(port, url)) {
      const user = toSyncUser(value);
      if (user && !byId.has(user.id)) byId.set(user.id, user);
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
