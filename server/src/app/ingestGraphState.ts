import type { InsightConfig } from "../core/config";
import type { Envelope, Interaction } from "../core/interaction";
import { Normaliser } from "../core/normalise";
import type { StateStore } from "../sources/graph/stateStore";
import type { Ingested } from "./ingest";
import { addCounts, emptyReport } from "./ingestReport";

/** The meeting a request or an event is about: its organizer and start. */
const meetingKey = (address: string | undefined, start: number) =>
  `${(address ?? "").toLowerCase()}|${start}`;

/**
 * Judges what the Graph sync stored into interactions, as the mbox and Graph-JSON readers do: each
 * mailbox is one "file" for the owner tallies. A calendar event announced by a meeting request that was
 * read as mail (same organizer and start) is the same meeting and counted once, as a copy.
 */
export function ingestGraphState(
  store: StateStore,
  options: {
    config: InsightConfig;
    now: number;
    sink?: (i: readonly Interaction[]) => void;
    /**
     * Mailboxes to read first, in this order (the rest follow by id). Where two copies of a message differ
     * (a meeting request's When line on one copy only), the store keeps the first to arrive.
     */
    order?: readonly string[];
  },
): Ingested {
  const report = emptyReport();
  const interactions: Interaction[] = [];
  const participantsByFile = new Map<string, Map<string, number>>();
  const normaliser = new Normaliser(options.config, options.now);
  const held = store.mailboxes();
  const first = (options.order ?? []).filter((m) => held.includes(m));
  const mailboxes = [...first, ...held.filter((m) => !first.includes(m))];
  const requested = new Set<string>();
  for (const mailbox of mailboxes)
    for (const { envelope } of store.items(mailbox))
      if (envelope.kind === "email" && envelope.meeting)
        requested.add(meetingKey((envelope.from ?? envelope.sender)?.address, envelope.meeting.start));

  const judge = (file: string, env: Envelope) => {
    report.items++;
    const r = env.kind === "email" ? normaliser.message(env) : normaliser.event(env);
    if (!r.ok) {
      report.skipped[r.reason] = (report.skipped[r.reason] ?? 0) + 1;
      return;
    }
    let tally = participantsByFile.get(file);
    if (!tally) participantsByFile.set(file, (tally = new Map()));
    for (const a of [r.interaction.from, ...r.interaction.to, ...r.interaction.cc])
      tally.set(a, (tally.get(a) ?? 0) + 1);
    report.interactions++;
    if (options.sink) options.sink([r.interaction]);
    else interactions.push(r.interaction);
  };
  for (const mailbox of mailboxes) {
    const file = `graph:${mailbox}`;
    for (const { envelope } of store.items(mailbox)) {
      // JSON keeps NaN as null: an unreadable date reads back as one.
      if (envelope.kind === "meeting") {
        if (requested.has(meetingKey(envelope.organizer?.address, envelope.start))) {
          report.copies++;
          continue;
        }
      }
      judge(file, envelope);
    }
  }
  report.files = mailboxes.length;
  addCounts(report.dropped, normaliser.dropped);
  return { interactions, report, participantsByFile };
}
