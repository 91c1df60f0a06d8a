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

describe("Normaliser: per-address work cached", () => {
  // Spellings that classify differently, the same person spelt two ways, names that matter only without "@".
  const tricky = (): { name: string; address: string }[] => [
    box("Jane.Doe@Contoso.com", "Jane"),
    box("jane.doe@contoso.com"),
    box(".ward@x.com"),
    box("'quoted@fabrikam.com'"),
    box("undisclosed-recipients@x.com"),
    box("IMCEAEX-_O=ENRON_OU=NA_CN=RECIPIENTS_CN=JDOE@x.com"),
    box("/o=ENRON/ou=NA/cn=Recipients/cn=jdoe", "J Doe"),
    box("a@b", "No dot"),
    box("", "Mike Grigsby"),
    box("", ""),
    box("", "undisclosed-recipients"),
    box("x@fabrikam.com", "Undisclosed recipients"),
    box("x@fabrikam.com", "X"),
    box("gone@excluded.com"),
    box("b@x.com"),
  ];
  const config = resolveConfig({ orgDomains: ["x.com"], excludedDomains: ["excluded.com"] });
  const mails = (): MessageEnvelope[] =>
    Array.from({ length: 12 }, (_, k) =>
      mail({
        sentAt: AT + k * 60_000,
        subject: `s${k % 4}`,
        // Fresh arrays each time (not the frozen lists the mbox reader shares), in varying order.
        to: tricky().slice(k % 5),
        cc: tricky()
          .reverse()
          .slice(0, 3 + (k % 4)),
        bcc: k % 3 ? [box("B@X.com"), box("c@x.com")] : [],
      }),
    );

  it("gives the same interactions and drops as a normaliser that never saw the addresses before", () => {
    const warm = new Normaliser(config, NOW);
    const totals: Record<string, number> = {};
    for (const m of mails()) {
      const cold = new Normaliser(config, NOW);
      expect(warm.message(m)).toEqual(cold.message(m));
      for (const [k, v] of Object.entries(cold.dropped)) totals[k] = (totals[k] ?? 0) + v;
    }
    expect(warm.dropped).toEqual(totals);
    expect(totals).toMatchObject({ undisclosed: expect.any(Number), x500: expect.any(Number) });
    expect(totals.notesName).toBeGreaterThan(0);
    expect(totals.invalid).toBeGreaterThan(0);
    expect(totals.excluded).toBeGreaterThan(0);
  });

  it("judges a mailbox without an address by its display name, every time", () => {
    const n = new Normaliser(config, NOW);
    for (let k = 0; k < 2; k++) {
      n.message(
        mail({
          to: [
            box("", "Mike Grigsby"),
            box("", ""),
            box("", "undisclosed-recipients"),
            box("", "/o=ENRON/cn=x"),
          ],
        }),
      );
    }
    expect(n.dropped).toMatchObject({ notesName: 2, invalid: 2, undisclosed: 2, x500: 2 });
  });

  it("numbers each person once, in order of first sight, sender first then the lists in order", () => {
    const n = new Normaliser(config, NOW);
    n.message(mail({ to: [box("b@x.com"), box("B@X.com")], cc: [box("c@x.com")] }));
    expect(n.lastPeople.ids).toEqual([0, 1, 2]);
    const r = n.message(mail({ from: box("c@x.com"), to: [box("d@x.com"), box("a@x.com")] }));
    expect(r.ok && [r.interaction.from, ...r.interaction.to]).toEqual(["c@x.com", "d@x.com", "a@x.com"]);
    expect(n.lastPeople.ids).toEqual([2, 3, 0]);
  });
});
