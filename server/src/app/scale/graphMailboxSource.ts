import type { InsightConfig } from "../../core/config";
import type { GraphPort } from "../../sources/graph/graphPort";
import { JsonStateStore } from "../../sources/graph/jsonStateStore";
import { syncFolder } from "../../sources/graph/mailboxSync";
import { SYNC_FOLDERS } from "../../sources/graph/stateStore";
import { listUsers } from "../../sources/graph/syncUsers";
import { calendarWindow } from "../calendarWindow";
import { ingestGraphState } from "../ingestGraphState";
import type { MailboxRead, MailboxSource } from "./mailboxSource";
import type { MailboxStateBlobs } from "./scaleStore";

export interface GraphSourceOptions {
  /** Only members of these groups (ids), when any are given. */
  groups: readonly string[];
  /** Ids or addresses of users who opted out: their mailbox is never listed (so never read), its state dropped. */
  optedOut: readonly string[];
  monthsBack: number;
  monthsAhead: number;
}

/**
 * Mailboxes read through Microsoft Graph, one per user id: the Graph sync's own delta round of Inbox,
 * Sent Items and the calendar window (server/src/sources/graph), over the mailbox's state kept between
 * syncs. The state (items and delta links committed page by page) is kept as one blob of gzipped JSON
 * (JsonStateStore: plain JavaScript, no native SQLite in the Functions package): a sync downloads it,
 * follows the delta links, uploads it, so the next sync of that mailbox asks Graph only for what changed. A sync that fails keeps the pages it committed (its state is uploaded
 * before the error is raised) and the queue retries it from there.
 */
export class GraphMailboxSource implements MailboxSource {
  constructor(
    private readonly port: GraphPort,
    private readonly states: MailboxStateBlobs,
    private readonly options: GraphSourceOptions,
  ) {}

  async list(runOptedOut: readonly string[] = []): Promise<string[]> {
    const optedOut = new Set([...this.options.optedOut, ...runOptedOut].map((s) => s.toLowerCase()));
    const users = await listUsers(this.port, this.options.groups);
    const out: string[] = [];
    for (const u of users) {
      if (optedOut.has(u.id.toLowerCase()) || u.emails.some((e) => optedOut.has(e.toLowerCase())))
        // An opted-out user's mail is never read again, and what an earlier sync kept is dropped.
        await this.states.deleteMailboxState(u.id);
      else if (u.enabled && u.emails.length > 0) out.push(u.id);
    }
    return out.sort();
  }

  async read(mailbox: string, config: InsightConfig, now: number): Promise<MailboxRead> {
    const store = JsonStateStore.load(await this.states.mailboxState(mailbox));
    const window = calendarWindow(now, this.options.monthsBack, this.options.monthsAhead);
    const folders = await Promise.all(
      SYNC_FOLDERS.map((folder) => syncFolder(this.port, store, mailbox, folder, { window })),
    );
    const failed = folders.find((f) => f.failed)?.failed;
    const ingested = ingestGraphState(store, { config, now });
    await this.states.putMailboxState(mailbox, store.save());
    if (failed) throw new Error(`Graph sync of the mailbox stopped (${failed}); its pages so far are kept`);
    const r = ingested.report;
    return {
      interactions: ingested.interactions,
      participants: ingested.participantsByFile.get(`graph:${mailbox}`) ?? new Map(),
      items: r.items,
      skipped: r.items - r.interactions,
    };
  }
}
