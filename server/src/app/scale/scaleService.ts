import { domainOf, inDomains } from "../../core/address";
import type { InsightConfig } from "../../core/config";
import { deriveDirectory, mailboxOwners } from "../../core/deriveDirectory";
import { type DirectoryData, EMPTY_DIRECTORY } from "../../core/directory";
import { PartitionRouter } from "../../core/engine/partitions";
import { decodeSnapshot, encodeSnapshot } from "../../core/engine/snapshot";
import { RelationshipState } from "../../core/engine/state";
import { hash53 } from "../../core/hash";
import type { InsightsResult } from "../../core/insights";
import type { Interaction, RecordType } from "../../core/interaction";
import type { PublishSet } from "../../dataverse/publish/allRows";
import type { HeldRow } from "../../dataverse/publish/plan";
import { ALL_FEATURES, type Features, type OrgSettings } from "../../dataverse/read/settingsFromRow";
import { runConfig, withFeatures, withOptedOut } from "../orgPolicy";
import { StateBuilder } from "../pipeline";
import { MissingStateError, PoisonMessageError, StateMovedError } from "./errors";
import type { MailboxRead, MailboxSource } from "./mailboxSource";
import {
  parsePublish,
  parseRecompute,
  parseSync,
  type PublishMessage,
  type QueueName,
  QUEUES,
  type RecomputeMessage,
  runOf,
  type SyncMessage,
} from "./messages";
import { changedRows, groupedRows, listText, parseList } from "./publishList";
import type { CursorPoint, MailboxCursor, RunManifest, ScaleStore, StatePointer } from "./scaleStore";
import { computeTouched, type KeptResult, type Previous, touchedBy } from "./touched";
import { TRACKED_SHARE, type TrackedSource } from "./trackedSource";

/** Puts a message on a queue (base64 JSON on Azure Storage). */
export type Enqueue = (queue: QueueName, body: unknown) => Promise<void>;

/**
 * Where a partition's result goes: Dataverse in production, a blob of rows for tests and benchmarks.
 * Each partition publishes on its own (records it owns, connections of people homed in it): no step
 * ever holds the whole organisation's result, which does not fit one process at scale.
 */
/** One partition's computed result, ready to publish. */
export interface PartitionOutput {
  run: string;
  partition: number;
  /** How many partitions the run has (a Dataverse publish scopes its deletes to this partition's rows). */
  partitions: number;
  result: InsightsResult;
  directory: DirectoryData;
  policy?: RunPolicy;
  /** The result's rows, when built already (see groupedRows); built from the result otherwise. */
  rows?: PublishSet;
  /**
   * What the org holds of these rows, by table, when the partition's publish list says so (no id: deleted
   * by key), and the run that list is of: only rows whose hash differs are written, held rows not among
   * them removed. Without it, the partition's rows are read back and compared.
   */
  held?: Record<string, HeldRow[]>;
  base?: string;
}

export interface InsightSink {
  /** Publishes one partition's result; returns how many rows were written. */
  publishPartition(output: PartitionOutput): Promise<number>;
}

/** The result of an earlier run that a recompute took records and connections from, as they were. */
interface Reused {
  run: string;
  result: InsightsResult;
}

/** What a run computes and publishes with: the host's configuration with the org's settings over it. */
export interface RunPolicy {
  config: InsightConfig;
  features: Features;
}

/** A partition's state to compute from, what was last computed from it, and how to keep the new result. */
interface PartitionState {
  state: RelationshipState;
  previous?: Previous;
  /** The run whose stored result `previous` holds. */
  previousRun?: string;
  save?: (kept: KeptResult) => Promise<void>;
}

/** Where a recompute's time went (logged with partition.recomputed): kept state read, shares added, state written, scores. */
interface Phases {
  restoreMs: number;
  addMs: number;
  saveMs: number;
  computeMs: number;
}

/** Counts and ids only: logs never carry addresses, names or subjects. */
export type Log = (event: string, props: Record<string, string | number | boolean>) => void;

export interface ScaleDeps {
  store: ScaleStore;
  source: MailboxSource;
  /** The activities tracked in Dataverse, when it is configured: read as one more share of the run. */
  tracked?: TrackedSource;
  enqueue: Enqueue;
  sink: InsightSink;
  config: InsightConfig;
  log?: Log;
  /**
   * Keep each partition's state between runs (a snapshot blob behind a pointer) and make a run
   * incremental when it can be: the source reads new mail only (MailboxSource.readNew), no tracked
   * activities, and the partition count, organisation, CRM directory and settings are the previous run's.
   */
  incremental?: boolean;
}

export interface StartRun {
  run: string;
  now: number;
  partitions: number;
  /** The CRM directory, when the run has one (read from Dataverse); else derived from the mail. */
  crm?: DirectoryData;
  /** The org's settings row (read from Dataverse with the CRM), when there is one. */
  settings?: OrgSettings;
}

export interface RunStatus {
  run?: string;
  mailboxes: number;
  synced: number;
  partitions: number;
  recomputed: number;
  published?: { records: number; connections: number; written: number };
}

/**
 * The scale-out use cases, one per trigger. Each is idempotent: its writes replace objects by name and its
 * messages name their run, so a step retried after a crash (or delivered twice) leaves the same state.
 * The step that completes a stage (the last mailbox synced, the last partition recomputed) starts the
 * next; two steps may both see completion and both start it, which is harmless for the same reason.
 */
export class ScaleService {
  /** Each run's policy, worked out once per process from its manifest. */
  private readonly policies = new Map<string, RunPolicy>();
  private readonly directoryDigests = new Map<string, string>();

  constructor(private readonly deps: ScaleDeps) {}

  /** The timer: a new run over every opted-in mailbox, one sync message each. Returns how many. */
  async startRun(start: StartRun): Promise<number> {
    const { store, enqueue } = this.deps;
    const manifest = await this.manifestFor(start);
    if (this.deps.incremental) Object.assign(manifest, await this.chainOf(manifest));
    const created = await store.putManifest(manifest);
    // A second firing for the same tick finds the run and re-enqueues nothing; retries are per message.
    if (!created) return 0;
    const { mailboxes } = manifest;
    for (const mailbox of mailboxes)
      await enqueue(QUEUES.sync, { run: start.run, mailbox } satisfies SyncMessage);
    this.log("run.started", { run: start.run, mailboxes: mailboxes.length, partitions: start.partitions });
    // No mailbox to wait for: plan now, so that the partitions still publish (and remove stale rows).
    if (mailboxes.length === 0 && (await store.claimPlan(start.run, ""))) await this.plan(manifest, []);
    return mailboxes.length;
  }

  /** What a new run reads and computes with, before any work. */
  private async manifestFor(start: StartRun): Promise<RunManifest> {
    const { settings } = start;
    // Worked out first: a settings row the engine cannot use stops the run here, named, before any work.
    const config = settings ? runConfig(this.deps.config, settings) : this.deps.config;
    const crm = start.crm && settings ? withOptedOut(start.crm, settings.optedOutUsers) : start.crm;
    return {
      run: start.run,
      now: start.now,
      partitions: start.partitions,
      mailboxes: await this.mailboxesFor(crm, settings),
      orgDomains: [...config.orgDomains],
      ...(crm ? { crm } : {}),
      ...(settings ? { settings } : {}),
    };
  }

  /** The mailboxes a run reads: the source's, less the opted-out users (by id or address), tracked first. */
  private async mailboxesFor(crm: StartRun["crm"], settings: StartRun["settings"]): Promise<string[]> {
    const optedOut = [
      ...(crm?.users ?? []).filter((u) => u.optedOut).flatMap((u) => [u.id, ...u.emails]),
      ...(settings?.optedOutUsers ?? []),
    ];
    const out = new Set(optedOut.map((a) => a.toLowerCase()));
    // Microsoft 365 data turned off: no mailbox is read (the run then publishes no mail-based rows).
    const listed = settings?.features.m365 === false ? [] : await this.deps.source.list(optedOut);
    return [
      ...(this.deps.tracked ? [TRACKED_SHARE] : []),
      ...listed.filter((m) => !out.has(m.toLowerCase()) && m !== TRACKED_SHARE),
    ];
  }

  /**
   * A run's place in the chain (seq) and, when it can build on the latest run's partition states, that
   * run (base). Anything that changes where mail is routed or how it is read makes it a full run.
   */
  private async chainOf(m: RunManifest): Promise<Pick<RunManifest, "seq" | "base" | "epoch">> {
    const { store } = this.deps;
    // Only a source that reads new mail alone gains from kept state; tracked activities are read whole.
    if (this.deps.source.readNew === undefined || this.deps.tracked) return {};
    const latest = await store.latestRun();
    const previous = latest ? await store.manifest(latest) : undefined;
    const seq = (previous?.seq ?? 0) + 1;
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
    // A mailbox no longer listed (opted out, left) takes its mail out of every partition: a full run.
    const listed = new Set(m.mailboxes);
    const incremental =
      previous?.seq !== undefined &&
      previous.epoch !== undefined &&
      previous.mailboxes.every((x) => listed.has(x)) &&
      previous.partitions === m.partitions &&
      same(previous.orgDomains, m.orgDomains) &&
      same(previous.crm, m.crm) &&
      same(previous.settings, m.settings);
    return incremental ? { seq, base: previous.run, epoch: previous.epoch } : { seq, epoch: seq };
  }

  /** The configuration and features a run computes with (see RunManifest.settings). */
  private policyOf(m: RunManifest): RunPolicy {
    let policy = this.policies.get(m.run);
    if (!policy) {
      policy = m.settings
        ? { config: runConfig(this.deps.config, m.settings), features: m.settings.features }
        : { config: this.deps.config, features: ALL_FEATURES };
      // A worker lives through many runs; only the recent ones still get messages.
      if (this.policies.size >= 8) this.policies.clear();
      this.policies.set(m.run, policy);
    }
    return policy;
  }

  /** Queue trigger: sync one mailbox, store its interactions by partition, and start the recompute when due. */
  async syncMailbox(message: unknown): Promise<void> {
    const { run, mailbox } = parseSync(message);
    const { store } = this.deps;
    const m = await this.manifestOf(run);
    const { config } = this.policyOf(m);
    if (!m.mailboxes.includes(mailbox))
      throw new PoisonMessageError(`${QUEUES.sync}: the mailbox is not in run ${run}`);
    const started = Date.now();
    const got = await this.readMailbox(m, mailbox);
    if (!got) {
      this.log("mailbox.superseded", { run });
      return;
    }
    const { read, advance } = got;
    const router = new PartitionRouter(routingDirectory(m, config), config, m.partitions);
    const byPartition = routeAll(read.interactions, router);
    const previous = await store.summary(run, mailbox);
    await inBatches([...byPartition], 16, ([p, list]) => store.putPart(run, p, mailbox, list));
    const stale = (previous?.partitions ?? []).filter((p) => !byPartition.has(p));
    await inBatches(stale, 16, (p) => store.deletePart(run, p, mailbox));
    const partitions = [...byPartition.keys()].sort((a, b) => a - b);
    // Incremental bookkeeping: the cursor moves after the shares are written and before the summary
    // (which lets the run plan), and the summary then holds what every sync so far read.
    const total = advance
      ? await advance()
      : {
          participants: orgParticipants(read.participants, config.orgDomains),
          externals: m.crm ? [] : relationshipExternals(read.interactions, config),
        };
    await store.putSummary(run, {
      mailbox,
      partitions,
      interactions: read.interactions.length,
      participants: total.participants,
      externals: total.externals,
    });
    this.log("mailbox.synced", {
      run,
      interactions: read.interactions.length,
      skipped: read.skipped,
      partitions: partitions.length,
      ms: Date.now() - started,
    });
    if (await store.directory(run)) {
      // A mailbox synced again after the run was planned (a change notification): recompute what it touches.
      const affected = new Set([...partitions, ...stale]);
      for (const p of affected)
        await this.deps.enqueue(QUEUES.recompute, { run, partition: p } satisfies RecomputeMessage);
      return;
    }
    // Count first (a listing): downloading every summary after every sync is quadratic in mailboxes.
    if ((await store.summaryCount(run)) < m.mailboxes.length) return;
    // Several syncs can see the last mailbox done at once (more so with several messages per worker):
    // one of them plans. The claim names its mailbox, so that the claimer's own message, retried after
    // a crash between claiming and enqueueing, plans again instead of leaving the run stalled.
    if (await store.claimPlan(run, mailbox)) await this.plan(m, await store.summaries(run));
  }

  /** Reads a mailbox for a sync: new mail only when the run keeps state (see readNew). */
  private async readMailbox(
    m: RunManifest,
    mailbox: string,
  ): Promise<{ read: MailboxRead; advance?: () => Promise<CursorPoint> } | undefined> {
    const { source, tracked } = this.deps;
    const { config } = this.policyOf(m);
    if (m.seq !== undefined && source.readNew && mailbox !== TRACKED_SHARE) return this.readNew(m, mailbox);
    if (mailbox !== TRACKED_SHARE) return { read: await source.read(mailbox, config, m.now) };
    if (tracked) return { read: await tracked.read(config, m.now, m.crm) };
    throw new PoisonMessageError(`${QUEUES.sync}: tracked activities, but Dataverse is not configured`);
  }

  /**
   * Reads a mailbox's new mail for a run that keeps state (seq set): since its cursor for an incremental
   * run, all of it for a full run; and how to move the cursor once the shares are stored. The cursor
   * keeps the point before the run's sync, so that the sync retried (or run again on a change
   * notification) reads the same mail again. Undefined when a later run moved the cursor already.
   */
  private async readNew(
    m: RunManifest,
    mailbox: string,
  ): Promise<{ read: MailboxRead; advance: () => Promise<CursorPoint> } | undefined> {
    const { store, source } = this.deps;
    const { config } = this.policyOf(m);
    const kept = await store.mailboxCursor(mailbox);
    const c = kept?.cursor;
    const seq = m.seq ?? 0;
    if (c && c.seq > seq) return undefined;
    // A cursor of another epoch (or none): the mailbox is read whole (see RunManifest.epoch).
    const usable = m.base !== undefined && c !== undefined && c.epoch === m.epoch;
    const before = !usable ? undefined : c.run === m.run ? c.before : c.after;
    const { read, cursor } = await source.readNew!(mailbox, config, m.now, before?.cursor);
    const advance = async (): Promise<CursorPoint> => {
      const participants = { ...before?.participants };
      for (const [a, n] of Object.entries(orgParticipants(read.participants, config.orgDomains)))
        participants[a] = (participants[a] ?? 0) + n;
      const externals = m.crm
        ? []
        : [
            ...new Set([...(before?.externals ?? []), ...relationshipExternals(read.interactions, config)]),
          ].sort();
      const after: CursorPoint = { cursor, participants, externals };
      const next: MailboxCursor = {
        run: m.run,
        seq,
        epoch: m.epoch ?? seq,
        ...(before ? { before } : {}),
        after,
      };
      if (!(await store.putMailboxCursor(mailbox, next, kept?.etag)))
        throw new StateMovedError(`run ${m.run}: another sync moved the mailbox's cursor first`);
      return after;
    };
    return { read, advance };
  }

  /** Every mailbox is synced: fix the run's directory and recompute every partition. */
  private async plan(m: RunManifest, summaries: Awaited<ReturnType<ScaleStore["summaries"]>>): Promise<void> {
    const { store, enqueue } = this.deps;
    const { config } = this.policyOf(m);
    let directory = m.crm;
    if (!directory) {
      const byMailbox = new Map(summaries.map((s) => [s.mailbox, new Map(Object.entries(s.participants))]));
      const owners = [...new Set(mailboxOwners(byMailbox, config.orgDomains).values())].sort();
      directory = deriveDirectory(owners, new Set(summaries.flatMap((s) => s.externals)), config);
    }
    await store.putDirectory(m.run, directory);
    for (let p = 0; p < m.partitions; p++) await enqueue(QUEUES.recompute, { run: m.run, partition: p });
    this.log("run.planned", {
      run: m.run,
      users: directory.users.length,
      contacts: directory.contacts.length,
    });
  }

  /**
   * Queue trigger: recompute one partition from every mailbox's share of it. A partition whose shares are
   * the ones its stored result was computed from (the same blobs, same versions) is not computed again:
   * the result would be identical (the run's clock is fixed). That makes the duplicate recomputes of a
   * stage started twice, and redeliveries, cheap. Returns which it was.
   */
  async recomputePartition(message: unknown): Promise<"computed" | "unchanged" | "superseded"> {
    const { store } = this.deps;
    const m = await this.manifestOf(runOf(message, QUEUES.recompute));
    const { run, partition } = parseRecompute(message, m.partitions);
    const directory = await store.directory(run);
    if (!directory) throw new MissingStateError(`run ${run} has no directory yet`);
    const started = Date.now();
    // Taken before reading: shares rewritten meanwhile make a later recompute see a newer version.
    const version = await store.partitionVersion(run, partition);
    const unchanged = (await store.resultVersion(run, partition)) === version;
    if (unchanged) {
      this.log("partition.unchanged", { run, partition });
      // Publish, unless this very result is out already (a redelivered or duplicate message).
      if ((await store.publishedPart(run, partition))?.version !== version)
        await this.deps.enqueue(QUEUES.publish, { run, partition } satisfies PublishMessage);
      return "unchanged";
    }
    const computed = await this.computePartition(m, partition, version, directory, started);
    if (!computed) return "superseded";
    // Published from memory, now: a publish message would read the result just stored back and parse it
    // again (docs/benchmarks.md, "Issue 18"). A publish that fails fails this message; its retry finds
    // the result stored (unchanged) and leaves the publish to the publish queue.
    await this.publishResult(m, partition, computed, directory, version);
    return "computed";
  }

  /**
   * Computes a partition and stores its result (and, for a run that keeps state, the new state). Undefined
   * when a later run's state is kept already. The partition's state is not returned: it is garbage before
   * the result is published.
   */
  private async computePartition(
    m: RunManifest,
    partition: number,
    version: string,
    directory: DirectoryData,
    started: number,
  ): Promise<{ result: InsightsResult; reused?: Reused } | undefined> {
    const { store } = this.deps;
    const { run } = m;
    const { config, features } = this.policyOf(m);
    const phases: Phases = { restoreMs: 0, addMs: 0, saveMs: 0, computeMs: 0 };
    const got =
      m.seq === undefined
        ? await this.sharedState(m, partition, directory, phases)
        : await this.keptState(m, partition, version, directory, phases);
    if (!got) {
      this.log("partition.superseded", { run, partition });
      return undefined;
    }
    const computing = Date.now();
    const touched = computeTouched(got.state, directory, config, { ...m, partition }, got.previous);
    phases.computeMs = Date.now() - computing;
    const saving = Date.now();
    await got.save?.(touched.kept);
    phases.saveMs = Date.now() - saving;
    const result = withFeatures(touched.result, features);
    await store.putResult(run, partition, result, version);
    this.log("partition.recomputed", {
      run,
      partition,
      interactions: result.stats.interactions,
      records: result.records.length,
      connections: result.connections.length,
      computedRecords: touched.computed.records,
      computedConnections: touched.computed.connections,
      ms: Date.now() - started,
      ...phases,
    });
    const { previous, previousRun } = got;
    return {
      result,
      ...(previous && previousRun ? { reused: { run: previousRun, result: previous.result } } : {}),
    };
  }

  /** A partition's state from its shares of the run alone (a run that keeps no state). */
  private async sharedState(
    m: RunManifest,
    partition: number,
    directory: DirectoryData,
    phases: Phases,
  ): Promise<PartitionState> {
    const t = Date.now();
    const state = new RelationshipState(directory, this.policyOf(m).config);
    state.addAll(await this.deps.store.readPartition(m.run, partition));
    phases.addMs = Date.now() - t;
    return { state };
  }

  /**
   * A partition's state for a run that keeps state: its kept snapshot with the shares of every run not in
   * it yet added (a full run: its own shares, from nothing), and what was last computed from the kept
   * state with the addresses the new shares touched (see computeTouched). `save` then writes the new
   * state and result as new blobs and moves the pointer to them, only if no other worker moved it since
   * it was read: a worker dying before that leaves the old pointer, and its retry does the same again.
   * Undefined when a later run's state is kept already (this run is superseded).
   */
  private async keptState(
    m: RunManifest,
    partition: number,
    version: string,
    directory: DirectoryData,
    phases: Phases,
  ): Promise<PartitionState | undefined> {
    const { store } = this.deps;
    const { config } = this.policyOf(m);
    const kept = await store.partitionState(m.partitions, partition);
    const pointer = kept?.pointer;
    const seq = m.seq ?? 0;
    if (pointer && pointer.seq > seq) return undefined;
    const plan = await this.runsToAdd(m, partition, version, pointer);
    const state = new RelationshipState(directory, config);
    let t = Date.now();
    const base = !plan.fromScratch ? pointer : undefined;
    // The kept state and what was last computed from it, read at once (two blob round trips).
    const [text, last] = await Promise.all([
      base && store.readSnapshot(base.snapshot),
      base && this.lastComputed(m, partition, base),
    ]);
    if (text) state.addAll(decodeSnapshot(text).interactions);
    phases.restoreMs = Date.now() - t;
    t = Date.now();
    const added = await this.sharesOf(plan.runs, partition);
    state.addAll(added);
    phases.addMs = Date.now() - t;
    const previous = last ? { ...last, touched: touchedBy(state, added) } : undefined;
    const previousRun = last && base ? { previousRun: base.run } : {};
    // This run's shares are in already (a retry after the pointer moved): nothing to write.
    if (plan.runs.length === 0 && last) return { state, previous, ...previousRun };
    const save = async (result: KeptResult): Promise<void> => {
      const input = { partition, partitions: m.partitions, run: m.run, seq, version };
      const id = `${m.run}-${version}`;
      // No new interaction: the kept snapshot still holds the state (only the pointer's input moves).
      const snapshot =
        base && added.length === 0
          ? base.snapshot
          : await store.putSnapshot(
              m.partitions,
              partition,
              id,
              encodeSnapshot({ input, interactions: state.store.sorted() }),
            );
      const computed = await store.putSnapshot(
        m.partitions,
        partition,
        `${id}.computed`,
        JSON.stringify(result),
      );
      if (!(await store.switchState(m.partitions, partition, { ...input, snapshot, computed }, kept?.etag)))
        throw new StateMovedError(`run ${m.run}: partition ${partition}'s state was moved by another worker`);
      for (const old of [pointer?.snapshot, pointer?.computed])
        if (old && old !== snapshot && old !== computed) await store.deleteSnapshot(old);
    };
    return { state, previous, ...previousRun, save };
  }

  /**
   * Every share of a partition in these runs, oldest first. Not push(...shares): a full run's shares of a
   * partition are more items than a call has argument slots (a RangeError at 500 × 5 million).
   */
  private async sharesOf(runs: readonly RunManifest[], partition: number): Promise<Interaction[]> {
    let added: Interaction[] = [];
    for (const r of runs) {
      const shares = await this.deps.store.readPartition(r.run, partition);
      added = added.length ? added.concat(shares) : shares;
    }
    return added;
  }

  /**
   * What was last computed from a partition's kept state: its index (KeptResult) and the result that run
   * stored, when that result is the one computed from this state (its input version) and was stored as
   * computed (no feature took rows out of it). Undefined otherwise: everything is computed again.
   */
  private async lastComputed(
    m: RunManifest,
    partition: number,
    base: StatePointer,
  ): Promise<Omit<Previous, "touched"> | undefined> {
    const { store } = this.deps;
    if (!base.computed || !this.policyOf(m).features.whoKnowsWhom) return undefined;
    if ((await store.resultVersion(base.run, partition)) !== base.version) return undefined;
    const result = await store.result(base.run, partition);
    if (!result) return undefined;
    return { kept: JSON.parse(await store.readSnapshot(base.computed)) as KeptResult, result };
  }

  /** The runs whose shares a partition's kept state lacks, oldest first; from nothing after a full run. */
  private async runsToAdd(
    m: RunManifest,
    partition: number,
    version: string,
    pointer: StatePointer | undefined,
  ): Promise<{ runs: RunManifest[]; fromScratch: boolean }> {
    if (!m.base) return { runs: [m], fromScratch: true };
    const broken = (why: string): MissingStateError =>
      new MissingStateError(`run ${m.run}, partition ${partition}: ${why}; start a full run`);
    if (!pointer) throw broken("no kept state to build on");
    if (pointer.seq === m.seq) {
      if (pointer.run !== m.run) throw broken(`the kept state is of run ${pointer.run}`);
      // This run's shares are in already; a mailbox synced again since adds what it read (a superset).
      return { runs: pointer.version === version ? [] : [m], fromScratch: false };
    }
    const runs: RunManifest[] = [];
    let r: RunManifest | undefined = m;
    while (r && (r.seq ?? 0) > pointer.seq) {
      runs.unshift(r);
      if (!r.base) return { runs, fromScratch: true };
      r = await this.deps.store.manifest(r.base);
    }
    if (r?.run !== pointer.run)
      throw broken(`the kept state (run ${pointer.run}) is not in this run's chain`);
    return { runs, fromScratch: false };
  }

  /** Queue trigger: publish one partition's result; the last partition published writes the run's totals. */
  async publishPartition(message: unknown): Promise<void> {
    const { store } = this.deps;
    const m = await this.manifestOf(runOf(message, QUEUES.publish));
    const { run, partition } = parsePublish(message, m.partitions);
    const version = await store.resultVersion(run, partition);
    const previous = await store.publishedPart(run, partition);
    if (previous && version !== undefined && previous.version === version) {
      // This result is out already (a duplicate message, or a recompute that found nothing new).
      this.log("partition.unchanged", { run, partition, published: true });
      await this.writeTotals(m);
      return;
    }
    const directory = await store.directory(run);
    const result = await store.result(run, partition);
    if (!directory || !result || version === undefined)
      throw new MissingStateError(`run ${run} has no result for partition ${partition}`);
    await this.publishResult(m, partition, { result }, directory, version);
  }

  /**
   * Publishes a partition's result and records it; the last partition published writes the run's totals.
   * With `reused` (the result of an earlier run this one took records and connections from as they were)
   * and that run's publish list of the same basis, only the rows of what was computed again are built and
   * compared with the list; otherwise every row is (a full compare). The list of what is now published is
   * written once the publish succeeded, before the partition counts as published.
   */
  private async publishResult(
    m: RunManifest,
    partition: number,
    { result, reused }: { result: InsightsResult; reused?: Reused },
    directory: DirectoryData,
    version: string,
  ): Promise<void> {
    const { run } = m;
    const { store } = this.deps;
    const started = Date.now();
    const policy = this.policyOf(m);
    const basis = hash53(
      JSON.stringify([
        this.directoryDigest(run, directory),
        policy,
        result.computedAt,
        m.partitions,
        partition,
      ]),
    );
    // Not against this run's own list (a retried recompute that found its run absorbed): a full compare.
    const text = reused && reused.run !== run && (await store.publishList(reused.run, partition));
    const list = text ? parseList(text) : undefined;
    let rows: PublishSet;
    let next: string;
    let delta: Pick<PartitionOutput, "held" | "base"> = {};
    if (reused && list?.basis === basis) {
      const changed = changedRows(result, reused.result, list, { directory, policy, partition });
      rows = changed.set;
      next = listText(changed.list);
      delta = { held: changed.held, base: reused.run };
    } else {
      const all = groupedRows(result, directory, policy, partition);
      rows = all.set;
      next = listText({ basis, rows: all.listed });
    }
    const written = await this.deps.sink.publishPartition({
      run,
      partition,
      partitions: m.partitions,
      result,
      directory,
      policy,
      rows,
      ...delta,
    });
    await store.putPublishList(run, partition, next);
    await store.putPublishedPart({
      run,
      partition,
      version,
      records: result.records.length,
      connections: result.connections.length,
      written,
    });
    this.log("partition.published", {
      run,
      partition,
      written,
      changedOnly: delta.base !== undefined,
      ms: Date.now() - started,
    });
    await this.writeTotals(m);
  }

  /** A digest of a run's directory (taken once per run: it is the same for every partition). */
  private directoryDigest(run: string, directory: DirectoryData): string {
    let d = this.directoryDigests.get(run);
    if (d === undefined) {
      d = hash53(JSON.stringify(directory));
      this.directoryDigests.clear();
      this.directoryDigests.set(run, d);
    }
    return d;
  }

  /** Once every partition is out, the run's totals (a partition published again later rewrites them the same way). */
  private async writeTotals(m: RunManifest): Promise<void> {
    const { store } = this.deps;
    const { run } = m;
    if ((await store.publishedPartCount(run)) < m.partitions) return;
    const parts = await store.publishedParts(run);
    const sum = (f: (p: (typeof parts)[number]) => number): number => parts.reduce((n, p) => n + f(p), 0);
    const totals = {
      run,
      records: sum((p) => p.records),
      connections: sum((p) => p.connections),
      written: sum((p) => p.written),
    };
    await store.putPublished(totals);
    this.log("run.published", totals);
  }

  /** HTTP: recompute the partition holding one record, in the latest run. Undefined when unknown. */
  async recomputeRecord(
    type: RecordType,
    id: string,
  ): Promise<{ run: string; partition: number } | undefined> {
    const { store } = this.deps;
    const run = await store.latestRun();
    const m = run ? await store.manifest(run) : undefined;
    const directory = run ? await store.directory(run) : undefined;
    if (!run || !m || !directory) return undefined;
    const { config } = this.policyOf(m);
    const known =
      (type === "contact" && directory.contacts.some((c) => c.id === id)) ||
      (type === "account" && directory.accounts.some((a) => a.id === id)) ||
      (type === "lead" && directory.leads.some((l) => l.id === id)) ||
      (type === "opportunity" && directory.opportunities.some((o) => o.id === id));
    if (!known) return undefined;
    const partition = new PartitionRouter(directory, config, m.partitions).recordPartition(type, id);
    await this.deps.enqueue(QUEUES.recompute, { run, partition } satisfies RecomputeMessage);
    return { run, partition };
  }

  /** Graph change notifications: sync the mailboxes they name again, in the latest run. */
  async mailboxesChanged(mailboxes: readonly string[]): Promise<number> {
    const run = await this.deps.store.latestRun();
    const m = run ? await this.deps.store.manifest(run) : undefined;
    if (!run || !m) return 0;
    const known = [...new Set(mailboxes)].filter((x) => m.mailboxes.includes(x));
    for (const mailbox of known) await this.deps.enqueue(QUEUES.sync, { run, mailbox } satisfies SyncMessage);
    return known.length;
  }

  async status(): Promise<RunStatus> {
    const { store } = this.deps;
    const run = await store.latestRun();
    const m = run ? await store.manifest(run) : undefined;
    if (!run || !m) return { mailboxes: 0, synced: 0, partitions: 0, recomputed: 0 };
    const published = await store.published(run);
    return {
      run,
      mailboxes: m.mailboxes.length,
      synced: await store.summaryCount(run),
      partitions: m.partitions,
      recomputed: await store.resultCount(run),
      ...(published
        ? {
            published: {
              records: published.records,
              connections: published.connections,
              written: published.written,
            },
          }
        : {}),
    };
  }

  private async manifestOf(run: string): Promise<RunManifest> {
    const m = await this.deps.store.manifest(run);
    if (!m) throw new PoisonMessageError(`run ${run} does not exist`);
    return m;
  }

  private log(event: string, props: Record<string, string | number | boolean>): void {
    this.deps.log?.(event, props);
  }
}

/**
 * One partition's result: the state of every interaction routed to it, the records it owns, the
 * connections with people homed in it. Pure apart from its inputs (the run's clock, not the machine's).
 */
export function recomputeOne(
  interactions: readonly Interaction[],
  directory: DirectoryData,
  config: InsightConfig,
  m: Pick<RunManifest, "now" | "partitions">,
  partition: number,
): InsightsResult {
  const state = new RelationshipState(directory, config);
  state.addAll(interactions);
  return computePart(state, directory, config, m, partition);
}

/** A partition's result from its state (see recomputeOne), as of the end of the run's UTC day. */
export function computePart(
  state: RelationshipState,
  directory: DirectoryData,
  config: InsightConfig,
  m: Pick<RunManifest, "now" | "partitions">,
  partition: number,
): InsightsResult {
  return computeTouched(state, directory, config, { now: m.now, partitions: m.partitions, partition }).result;
}

/** The directory interactions are routed by at sync time: the run's CRM, or the organisation alone. */
function routingDirectory(m: RunManifest, config: InsightConfig): DirectoryData {
  return m.crm ?? { ...EMPTY_DIRECTORY, orgDomains: [...new Set([...m.orgDomains, ...config.orgDomains])] };
}

/** Interactions by the partitions they are routed to. */
function routeAll(interactions: readonly Interaction[], router: PartitionRouter): Map<number, Interaction[]> {
  const byPartition = new Map<number, Interaction[]>();
  for (const i of interactions)
    for (const p of router.route(i)) {
      const list = byPartition.get(p);
      if (list) list.push(i);
      else byPartition.set(p, [i]);
    }
  return byPartition;
}

/** Only organisation addresses: what finding a mailbox's owner needs (see mailboxOwners). */
function orgParticipants(
  counts: ReadonlyMap<string, number>,
  orgDomains: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [a, n] of counts) if (inDomains(domainOf(a), orgDomains)) out[a] = n;
  return out;
}

/** External people in relationship interactions, by the same rules the state applies (its own index). */
function relationshipExternals(interactions: readonly Interaction[], config: InsightConfig): string[] {
  // Without a CRM, sides depend on the organisation's domains alone: the builder's starting state.
  const { state } = new StateBuilder(config);
  state.addAll(interactions.map((i) => ({ ...i })));
  return [...state.externals()].sort();
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  each: (item: T) => Promise<void>,
): Promise<void> {
  for (let k = 0; k < items.length; k += size) await Promise.all(items.slice(k, k + size).map(each));
}
