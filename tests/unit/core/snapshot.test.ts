import { FolderMailboxSource } from "../../../server/src/app/scale/mailboxSource";
import { SAMPLE_DIR } from "../../../server/src/app/start";
import { resolveConfig } from "../../../server/src/core/config";
import {
  decodeShare,
  decodeSnapshot,
  encodeShare,
  encodeSnapshot,
  SnapshotFormatError,
} from "../../../server/src/core/engine/snapshot";
import type { Interaction } from "../../../server/src/core/interaction";

const config = resolveConfig({ orgDomains: ["enron.com"] });
const input = { partition: 2, partitions: 7, run: "r1", seq: 3, version: "abc" };

/** Two of the bundled sample's mailboxes, read as a sync worker reads them (real addresses and keys). */
async function sample(): Promise<Interaction[]> {
  const source = new FolderMailboxSource(SAMPLE_DIR);
  const out: Interaction[] = [];
  for (const m of ["ring-r", "griffith-j"])
    out.push(...(await source.read(m, config, Date.UTC(2002, 0, 1))).interactions);
  return out;
}

/** An interaction with every awkward field: quotes and non-ASCII in strings, optional fields set. */
const odd: Interaction = {
  key: 'msg "1"\\ <é@x>',
  kind: "meeting",
  at: Date.UTC(2024, 1, 29, 23, 59, 59, 999),
  from: "ann@contoso.com",
  to: ["b\u00e9a@fabrikam.com", "ann@contoso.com"],
  cc: [],
  bcc: ["zed@fabrikam.com"],
  recipientCount: 3,
  source: "graph",
  durationMin: 45,
  observedAt: Date.UTC(2024, 1, 20),
  declined: ["zed@fabrikam.com"],
  thread: "conv-1",
  isReply: true,
  regarding: { type: "opportunity", id: "00000000-0000-0000-0000-000000000001" },
  subject: "Q1 \u201cplan\u201d\nline two",
  activityId: "a1",
};

describe("snapshot and share encoding", () => {
  test("a share of real mail decodes equal to what was encoded, field for field, in the same order", async () => {
    const mail = await sample();
    expect(mail.length).toBeGreaterThan(1000);
    const text = encodeShare(mail);
    const back = decodeShare(text);
    expect(back).toEqual(mail);
    // Smaller than one JSON object a line, the format it replaced.
    expect(text.length).toBeLessThan(mail.map((i) => JSON.stringify(i)).join("\n").length * 0.8);
  });

  test("the awkward interaction survives both encodings; undefined fields are left out", () => {
    const withUndefined: Interaction = { ...odd, messageId: undefined };
    expect(decodeShare(encodeShare([withUndefined, odd]))).toEqual([odd, odd]);
    const snap = decodeSnapshot(encodeSnapshot({ input, interactions: [odd] }));
    expect(snap).toEqual({ input, interactions: [odd] });
    expect(Object.keys(decodeShare(encodeShare([withUndefined]))[0]!)).not.toContain("messageId");
  });

  test("an empty share is its header alone, and decodes to nothing (as does an empty text)", () => {
    expect(encodeShare([]).split("\n")).toHaveLength(1);
    expect(decodeShare(encodeShare([]))).toEqual([]);
    expect(decodeShare("")).toEqual([]);
  });

  test("a share written before this encoding (one JSON object a line) is still read", () => {
    const legacy = [odd, { ...odd, key: "k2" }].map((i) => JSON.stringify(i)).join("\n");
    expect(decodeShare(legacy)).toEqual([odd, { ...odd, key: "k2" }]);
  });

  test("a share is not a snapshot, nor the reverse: each names the format it expected", () => {
    expect(() => decodeSnapshot(encodeShare([odd]))).toThrow(SnapshotFormatError);
    expect(() => decodeSnapshot(encodeShare([odd]))).toThrow(
      /snapshot: expected format rapport-partition-snapshot\/1/,
    );
    expect(() => decodeShare(encodeSnapshot({ input, interactions: [odd] }))).toThrow(
      /share: expected format rapport-partition-share\/1/,
    );
    expect(() => decodeSnapshot("not json\n[]")).toThrow(/snapshot: the header line is not JSON/);
  });
});
