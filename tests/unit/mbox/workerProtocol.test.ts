import { resolveConfig } from "../../../server/src/core/config";
import { EMPTY_DIRECTORY } from "../../../server/src/core/directory";
import { AddressTable } from "../../../server/src/core/engine/addressBook";
import { RelationshipState } from "../../../server/src/core/engine/state";
import type { Interaction, MailboxRef, MessageEnvelope } from "../../../server/src/core/interaction";
import { Normaliser } from "../../../server/src/core/normalise";
import {
  InteractionDecoder,
  InteractionEncoder,
  ParticipantCounter,
} from "../../../server/src/sources/mbox/workerProtocol";
import { view } from "../core/stateView";

const config = resolveConfig({ orgDomains: ["contoso.com"] });
const NOW = Date.UTC(2003, 0, 1);
const T0 = Date.UTC(2001, 4, 14, 12);
const box = (address: string, name = ""): MailboxRef => ({ name, address });

function mail(n: number, from: string, to: string[], cc: string[] = [], bcc: string[] = []): MessageEnvelope {
  return {
    kind: "email",
    sentAt: T0 + n * 3_600_000,
    from: box(from),
    to: to.map((a) => box(a)),
    cc: cc.map((a) => box(a)),
    bcc: bcc.map((a) => box(a)),
    subject: n % 4 === 3 ? `RE: Subject ${n % 3}` : `Subject ${n % 3}`,
    messageId: `${n}@t`,
    source: "mbox",
    origin: { file: "t", line: n },
  };
}

/** Two mailboxes' mail: the same people, first seen in a different order by each worker. */
const ANN = [
  mail(1, "ann@contoso.com", ["x@fabrikam.com", "bob@contoso.com"], ["y@fabrikam.com"]),
  mail(2, "x@fabrikam.com", ["ann@contoso.com"], [], ["bob@contoso.com"]),
  mail(3, "ann@contoso.com", ["Z@Northwind.com", "notes name"], ["x@fabrikam.com"]),
  mail(4, "y@fabrikam.com", ["ann@contoso.com", "x@fabrikam.com"]),
];
const BOB = [
  mail(5, "bob@contoso.com", ["z@northwind.com"], ["ann@contoso.com", "x@fabrikam.com"]),
  mail(2, "x@fabrikam.com", ["ann@contoso.com"], [], ["bob@contoso.com"]),
  mail(6, "w@tailspin.com", ["bob@contoso.com", "y@fabrikam.com"]),
];

/** A worker's judging and packing (one normaliser and one encoder for all its batches). */
function worker(numbers: boolean) {
  const normaliser = new Normaliser(config, NOW);
  const encoder = new InteractionEncoder();
  /** Judges a batch of mail and packs it, with or without the normaliser's people numbers. */
  return (mails: readonly MessageEnvelope[]) => {
    const judged: Interaction[] = [];
    for (const m of mails) {
      const r = normaliser.message(m);
      if (!r.ok) continue;
      judged.push(r.interaction);
      encoder.add(r.interaction, numbers ? normaliser.lastPeople : undefined);
    }
    return { judged, wire: encoder.take() };
  };
}
const pack = (mails: readonly MessageEnvelope[], numbers: boolean) => worker(numbers)(mails);

/** An e-mail of one recipient. */
const email = (key: string, from: string, to: string): Interaction => ({
  key,
  kind: "email",
  at: T0,
  from,
  to: [to],
  cc: [],
  bcc: [],
  recipientCount: 1,
  source: "mbox",
});

describe("worker wire: addresses as numbers", () => {
  test("packed with the normaliser's numbers, interactions decode exactly as packed by string", () => {
    const byNumber = pack(ANN, true);
    const byString = pack(ANN, false);
    const decoded = new InteractionDecoder().decode(byNumber.wire);
    expect(decoded).toEqual(new InteractionDecoder().decode(byString.wire));
    expect(decoded).toEqual(byNumber.judged);
  });

  test("the decoder's numbered listing names each interaction's sender, To and Cc in order", () => {
    const decoder = new InteractionDecoder();
    const decoded = decoder.decode(pack(ANN, true).wire);
    const numbered = decoder.numbered;
    expect(numbered).toBeDefined();
    const names = [...(numbered?.listed ?? [])].map((ref) => numbered?.table.strings[ref]);
    expect(names).toEqual(decoded.flatMap((i) => [i.from, ...i.to, ...i.cc]));
  });

  test("a state fed numbers from two workers' tables equals one fed strings", () => {
    const byNumbers = new RelationshipState(EMPTY_DIRECTORY, config);
    const byStrings = new RelationshipState(EMPTY_DIRECTORY, config);
    const ann = { decoder: new InteractionDecoder(), pack: worker(true) };
    const bob = { decoder: new InteractionDecoder(), pack: worker(true) };
    // Interleaved batches, as two workers' batches arrive.
    for (const [{ decoder, pack }, mails] of [
      [ann, ANN.slice(0, 2)],
      [bob, BOB.slice(0, 1)],
      [ann, ANN.slice(2)],
      [bob, BOB.slice(1)],
    ] as const) {
      const interactions = decoder.decode(pack(mails).wire);
      byNumbers.addAll(interactions, decoder.numbered);
      byStrings.addAll(interactions.map((i) => ({ ...i, bcc: [...i.bcc] })));
    }
    expect(view(byNumbers)).toEqual(view(byStrings));
    expect(view(byNumbers, ["x@fabrikam.com"]).externals).toEqual([
      "w@tailspin.com",
      "x@fabrikam.com",
      "y@fabrikam.com",
      "z@northwind.com",
    ]);
  });

  test("a batch of several blocks of the state is listed from the right place in the numbering", () => {
    const mails = Array.from({ length: 700 }, (_, n) =>
      n % 2
        ? mail(n, `p${n % 37}@fabrikam.com`, ["ann@contoso.com"], [`q${n % 11}@northwind.com`])
        : mail(n, "ann@contoso.com", [`p${n % 37}@fabrikam.com`, "bob@contoso.com"]),
    );
    const decoder = new InteractionDecoder();
    const interactions = decoder.decode(worker(true)(mails).wire);
    const byNumbers = new RelationshipState(EMPTY_DIRECTORY, config);
    byNumbers.addAll(interactions, decoder.numbered);
    const byStrings = new RelationshipState(EMPTY_DIRECTORY, config);
    byStrings.addAll(interactions.map((i) => ({ ...i, bcc: [...i.bcc] })));
    expect(view(byNumbers)).toEqual(view(byStrings));
  });

  test("numbers resolved against one state's book are resolved again for another", () => {
    const table = new AddressTable();
    for (const s of ["ann@contoso.com", "x@fabrikam.com", "y@fabrikam.com"]) table.push(s);
    const first = new RelationshipState(EMPTY_DIRECTORY, config);
    const second = new RelationshipState(EMPTY_DIRECTORY, config);
    first.addAll([email("a", "ann@contoso.com", "y@fabrikam.com")], {
      table,
      listed: Int32Array.from([0, 2]),
    });
    second.addAll([email("b", "ann@contoso.com", "x@fabrikam.com")], {
      table,
      listed: Int32Array.from([0, 1]),
    });
    second.addAll([email("c", "ann@contoso.com", "y@fabrikam.com")], {
      table,
      listed: Int32Array.from([0, 2]),
    });
    expect([...second.externals()]).toEqual(["x@fabrikam.com", "y@fabrikam.com"]);
    expect(second.pair("ann@contoso.com", "y@fabrikam.com")?.counts.email).toEqual({ out: 1, in: 0 });
  });

  test("a listing that does not match the interactions is refused", () => {
    const decoder = new InteractionDecoder();
    const interactions = decoder.decode(pack(ANN, true).wire);
    const numbered = decoder.numbered;
    if (!numbered) throw new Error("no numbering");
    const state = new RelationshipState(EMPTY_DIRECTORY, config);
    expect(() => state.addAll(interactions.slice(1), numbered)).toThrow(/numbered addresses/);
  });

  test("after the worker starts a new table, people are numbered in the new one", () => {
    const normaliser = new Normaliser(config, NOW);
    // A table of at most two strings: it starts again at each batch.
    const encoder = new InteractionEncoder(2);
    const decoder = new InteractionDecoder();
    const judged: Interaction[] = [];
    const decoded: Interaction[] = [];
    for (const m of [...ANN, ...BOB]) {
      const r = normaliser.message(m);
      if (!r.ok) continue;
      judged.push(r.interaction);
      encoder.add(r.interaction, normaliser.lastPeople);
      decoded.push(...decoder.decode(encoder.take()));
    }
    expect(decoded).toEqual(judged);
  });

  test("when the normaliser numbers its people again, a reused number is not taken for the old address", () => {
    const encoder = new InteractionEncoder();
    encoder.add(email("a@x.com>b@x.com", "a@x.com", "b@x.com"), { ids: [0, 1], generation: 0 });
    encoder.add(email("c@x.com>d@x.com", "c@x.com", "d@x.com"), { ids: [0, 1], generation: 1 });
    expect(() =>
      encoder.add(email("c@x.com>d@x.com", "c@x.com", "d@x.com"), { ids: [0], generation: 1 }),
    ).toThrow(/people numbers/);
    const decoded = new InteractionDecoder().decode(encoder.take());
    expect(decoded.map((i) => [i.from, ...i.to])).toEqual([
      ["a@x.com", "b@x.com"],
      ["c@x.com", "d@x.com"],
    ]);
  });

  test("participants are counted by number as by address, in order of first appearance, across a renumbering", () => {
    const normaliser = new Normaliser(config, NOW);
    const counter = new ParticipantCounter();
    const byAddress = new Map<string, number>();
    const judged: Interaction[] = [];
    for (const m of [...ANN, ...BOB]) {
      const r = normaliser.message(m);
      if (!r.ok) continue;
      const i = r.interaction;
      judged.push(i);
      counter.add(i, normaliser.lastPeople);
      for (const a of [i.from, ...i.to, ...i.cc]) byAddress.set(a, (byAddress.get(a) ?? 0) + 1);
    }
    expect(counter.take()).toEqual([...byAddress]);
    expect(counter.take()).toEqual([]);
    // The same interactions with the people numbered again from 0 halfway (another generation).
    const ids = (i: Interaction, base: number, generation: number) => ({
      ids: [i.from, ...i.to, ...i.cc].map((a) => base + [...byAddress.keys()].indexOf(a)),
      generation,
    });
    judged.forEach((i, k) => counter.add(i, k < 3 ? ids(i, 0, 7) : ids(i, 100, 8)));
    expect(counter.take()).toEqual([...byAddress]);
    // Renumbered so that an old number now names someone else: counted apart all the same.
    judged.forEach((i, k) => counter.add(i, ids(i, k < 3 ? 0 : 1, k < 3 ? 1 : 2)));
    expect(counter.take()).toEqual([...byAddress]);
  });
});
