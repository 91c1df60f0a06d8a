import path from "node:path";

import { resolveConfig } from "../../../core/config";
import { mailboxOwners, nameFromAddress } from "../../../core/deriveDirectory";
import type { MessageEnvelope } from "../../../core/interaction";
import { Normaliser } from "../../../core/normalise";
import { listMboxFiles, readMboxFileBatches } from "../../mbox/readMbox";
import { type LocalFolder, type LocalMailbox, LocalTenant } from "./tenant";
import { eventJson, graphId, messageJson, stableGuid } from "./wireJson";

export interface SampleTenantOptions {
  /** Organisation domains: the mailbox owner is the internal address on most of a file's messages. */
  domains: readonly string[];
  /** Each message repeated this many times (ids and times shifted), to measure growth; default 1. */
  scale?: number;
  /** Users (by primary address) whose accountEnabled is false. */
  disabled?: readonly string[];
  /** Security groups: id → member primary addresses. */
  groups?: Readonly<Record<string, readonly string[]>>;
}

interface Mailbox {
  file: string;
  messages: MessageEnvelope[];
  counts: Map<string, number>;
  senders: Map<string, number>;
}

/**
 * Aliases of an owner: other internal addresses that sent mail from this mailbox and carry the owner's
 * surname (Enron users wrote from "first.last@" and older short forms), seen at least five times.
 */
function aliasesOf(
  owner: string,
  senders: ReadonlyMap<string, number>,
  domains: readonly string[],
): string[] {
  const local = owner.slice(0, owner.indexOf("@"));
  const surname = local.split(/[._-]/).pop() ?? local;
  if (surname.length < 3) return [];
  return [...senders]
    .filter(
      ([a, n]) => a !== owner && n >= 5 && a.includes(surname) && domains.some((d) => a.endsWith(`@${d}`)),
    )
    .map(([a]) => a)
    .sort();
}

/**
 * Builds a local tenant from mbox files (the bundled sample): one user per file (its owner, with aliases as
 * proxyAddresses), each distinct message of the file (exact copies are one message, as the mbox reader
 * counts them) in Sent Items when the owner sent it and in the Inbox otherwise; each meeting request also
 * on that user's calendar, as the event it announces (one iCalUId per request, shared across mailboxes).
 */
export async function sampleTenant(dir: string, options: SampleTenantOptions): Promise<LocalTenant> {
  const config = resolveConfig({ orgDomains: [...options.domains] });
  const normaliser = new Normaliser(config, Date.now());
  const mailboxes: Mailbox[] = [];
  for (const file of await listMboxFiles(dir)) mailboxes.push(await readMailbox(file, normaliser));
  const owners = mailboxOwners(new Map(mailboxes.map((m) => [m.file, m.counts])), config.orgDomains);
  const tenant = new LocalTenant();
  const disabled = new Set(options.disabled ?? []);
  const idByAddress = new Map<string, string>();
  for (const box of mailboxes) {
    const owner = owners.get(box.file);
    if (!owner) continue;
    const aliases = aliasesOf(owner, box.senders, config.orgDomains);
    const userId = stableGuid("user", owner);
    idByAddress.set(owner, userId);
    const mailbox = tenant.addUser({
      id: userId,
      displayName: nameFromAddress(owner),
      mail: owner,
      userPrincipalName: owner,
      proxyAddresses: [`SMTP:${owner}`, ...aliases.map((a) => `smtp:${a}`)],
      accountEnabled: !disabled.has(owner),
    });
    fillMailbox(mailbox, box, new Set([owner, ...aliases]), options.scale ?? 1);
  }
  for (const [id, members] of Object.entries(options.groups ?? {})) {
    tenant.groups.set(id, {
      displayName: id,
      members: members.map((a) => idByAddress.get(a)).filter((x): x is string => x !== undefined),
    });
  }
  return tenant;
}

/** One mbox file's distinct e-mails, with how often each address took part and each sender sent. */
async function readMailbox(file: string, normaliser: Normaliser): Promise<Mailbox> {
  const box: Mailbox = { file, messages: [], counts: new Map(), senders: new Map() };
  for await (const batch of readMboxFileBatches(file, { seenCopies: new Set(), stats: { copies: 0 } })) {
    for (const item of batch) {
      if (item.type !== "envelope" || item.envelope.kind !== "email") continue;
      const env = item.envelope;
      box.messages.push(env);
      const r = normaliser.message(env);
      if (!r.ok) continue;
      const i = r.interaction;
      for (const a of [i.from, ...i.to, ...i.cc]) box.counts.set(a, (box.counts.get(a) ?? 0) + 1);
      box.senders.set(i.from, (box.senders.get(i.from) ?? 0) + 1);
    }
  }
  return box;
}

/**
 * Files a mailbox's messages `scale` times: in Sent Items when one of the owner's addresses (`mine`) sent it,
 * else in the Inbox; a meeting request also on the calendar.
 */
function fillMailbox(mailbox: LocalMailbox, box: Mailbox, mine: ReadonlySet<string>, scale: number): void {
  const base = path.basename(box.file);
  for (let r = 0; r < scale; r++) {
    box.messages.forEach((original, index) => {
      const env = r === 0 ? original : shifted(original, r);
      const from = (env.from ?? env.sender)?.address.toLowerCase();
      const folder: LocalFolder = from !== undefined && mine.has(from) ? "sentitems" : "inbox";
      const id = graphId("AAMkAG", base, r, index);
      mailbox.folders[folder].put(messageJson(env, id, folder));
      if (env.meeting) {
        const iCalUId = `040000008200E00074C5B7101A82E008${graphId("", from ?? "", env.meeting.start, env.subject ?? "", env.sentAt).replace(/[^A-Za-z0-9]/g, "")}`;
        mailbox.calendar.put(eventJson(env, graphId("AAMkAE", base, r, index), iCalUId, mine));
      }
    });
  }
}

/** A replica of a message for scaled tenants: another Message-ID, sent r seconds later. */
function shifted(env: MessageEnvelope, r: number): MessageEnvelope {
  const copy: MessageEnvelope = { ...env, sentAt: env.sentAt + r * 1000 };
  if (env.messageId) copy.messageId = `${r}.${env.messageId}`;
  if (env.meeting) copy.meeting = { start: env.meeting.start + r * 1000, end: env.meeting.end + r * 1000 };
  return copy;
}
