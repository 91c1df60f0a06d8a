import { resolveConfig } from "../../../server/src/core/config";
import { Hash53, hash53 } from "../../../server/src/core/hash";
import type { EventEnvelope, MessageEnvelope } from "../../../server/src/core/interaction";
import { Normaliser } from "../../../server/src/core/normalise";

const NOW = Date.UTC(2003, 0, 1);
const AT = Date.UTC(2001, 4, 14, 12);
const box = (address: string, name = "") => ({ name, address });

function mail(over: Partial<MessageEnvelope> = {}): MessageEnvelope {
  return {
    kind: "email",
    sentAt: AT,
    from: box("a@x.com"),
    to: [box("b@x.com")],
    cc: [],
    bcc: [],
    subject: "Hello",
    source: "mbox",
    origin: { file: "t", line: 1 },
    ...over,
  };
}

function event(over: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    kind: "meeting",
    organizer: box("a@x.com"),
    attendees: [
      { mailbox: box("b@x.com"), type: "required", response: "accepted" },
      { mailbox: box("c@x.com"), type: "optional", response: "declined" },
      { mailbox: box("room@x.com"), type: "resource", response: "accepted" },
    ],
    start: AT,
    end: AT + 3_600_000,
    isCancelled: false,
    isAllDay: false,
    source: "graph",
    origin: { file: "t", index: 0 },
    ...over,
  };
}

const norm = () => new Normaliser(resolveConfig({ orgDomains: ["x.com"] }), NOW);

describe("Normaliser.message", () => {
  it("gives copies with different per-copy ids one key, and distinct messages two", () => {
    const n = norm();
    const a = n.message(
      mail({ messageId: "1@t", messageIdIsPerCopy: true, to: [box("b@x.com"), box("c@x.com")] }),
    );
    const b = n.message(
      mail({ messageId: "2@t", messageIdIsPerCopy: true, to: [box("C@X.com"), box("b@x.com")] }),
    );
    const c = n.message(mail({ subject: "Other" }));
    expect(a.ok && b.ok && a.interaction.key === b.interaction.key).toBe(true);
    expect(a.ok && c.ok && a.interaction.key !== c.interaction.key).toBe(true);
    expect(a.ok && a.interaction.messageId).toBeUndefined();
  });

  it("does not count an address twice across To, Cc and Bcc, nor the sender", () => {
    const r = norm().message(
      mail({ to: [box("b@x.com"), box("A@x.com")], cc: [box("B@x.com")], bcc: [box("b@x.com")] }),
    );
    expect(r.ok && [r.interaction.to, r.interaction.cc, r.interaction.bcc]).toEqual([["b@x.com"], [], []]);
    expect(r.ok && r.interaction.recipientCount).toBe(4);
  });

  it("keeps Notes names, X.500 and undisclosed recipients out and counts them", () => {
    const n = norm();
    const r = n.message(
      mail({
        to: [
          box("", "Mike Grigsby"),
          box("/O=ENRON/OU=NA/CN=RECIPIENTS/CN=X"),
          box("undisclosed-recipients", "undisclosed-recipients"),
        ],
        cc: [box(".ward@enron.com")],
      }),
    );
    expect(r.ok && r.interaction.cc).toEqual(["ward@enron.com"]);
    expect(n.dropped).toMatchObject({ notesName: 1, x500: 1, undisclosed: 1 });
  });

  it("names each skip", () => {
    const n = norm();
    expect(n.message(mail({ sentAt: Number.NaN }))).toEqual({ ok: false, reason: "invalidDate" });
    expect(n.message(mail({ sentAt: Date.UTC(1980, 0, 1) }))).toEqual({
      ok: false,
      reason: "dateOutOfWindow",
    });
    expect(n.message(mail({ from: box("no-reply@x.com") }))).toEqual({
      ok: false,
      reason: "automatedSender",
    });
    expect(n.message(mail({ automatedHeader: "list" }))).toEqual({ ok: false, reason: "automatedSender" });
    expect(n.message(mail({ subject: "Out of Office: away" }))).toEqual({ ok: false, reason: "autoReply" });
    expect(n.message(mail({ to: [box("", "Mike Grigsby")] }))).toEqual({ ok: false, reason: "noRecipients" });
    expect(n.message(mail({ from: undefined }))).toEqual({ ok: false, reason: "noSender" });
  });
});

describe("Normaliser.event", () => {
  it("skips cancelled meetings", () => {
    expect(norm().event(event({ isCancelled: true }))).toEqual({ ok: false, reason: "cancelledMeeting" });
  });

  it("keeps declined attendees and rooms out of the participants", () => {
    const r = norm().event(event());
    expect(r.ok && [r.interaction.to, r.interaction.cc, r.interaction.declined]).toEqual([
      ["b@x.com"],
      [],
      ["c@x.com"],
    ]);
    expect(r.ok && r.interaction.durationMin).toBe(60);
  });

  it("counts an all-day event as a meeting without time spent", () => {
    const r = norm().event(event({ isAllDay: true, end: AT + 86_400_000 }));
    expect(r.ok && r.interaction.kind).toBe("meeting");
    expect(r.ok && r.interaction.durationMin).toBeUndefined();
  });
});

describe("judging shared recipient lists", () => {
  it("gives a frozen list shared by many messages the same results as fresh lists, per message", () => {
    const list = () => [
      box("b@x.com"),
      box("a@x.com"),
      box("Notes Name"),
      box("/o=Enron/ou=NA"),
      box("b@x.com"),
    ];
    const shared = list();
    Object.freeze(shared);
    const fresh = norm();
    const cached = norm();
    for (let i = 0; i < 3; i++) {
      const want = fresh.message(mail({ to: list(), cc: [box("c@x.com")], subject: `s${i}` }));
      const got = cached.message(mail({ to: shared, cc: [box("c@x.com")], subject: `s${i}` }));
      expect(got).toStrictEqual(want);
    }
    expect(cached.dropped).toStrictEqual(fresh.dropped);
    expect(cached.dropped).toMatchObject({ notesName: 3, x500: 3 });
  });
});

describe("Hash53", () => {
  it("hashes parts exactly as hash53 hashes their join, numbers as template literals write them", () => {
    const h = new Hash53();
    for (const n of [
      0,
      -0,
      7,
      -42,
      99_999_999,
      100_000_000,
      988_675_200_000,
      -2_147_483_649,
      2 ** 53,
      1.5,
      NaN,
    ]) {
      expect(h.text("a|").int(n).char(58).text("é").hex()).toBe(hash53(`a|${n}:é`));
    }
    expect(h.hex()).toBe(hash53(""));
  });
});
