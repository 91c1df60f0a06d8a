import { Button, mergeClasses } from "@fluentui/react-components";
import * as React from "react";

import type { Formatter } from "../../shared/format";
import type { HistoryItem } from "../../shared/insight";
import { bareId } from "../../shared/insight";
import { COLLEAGUE_NAMES, directoryNames, PEOPLE_NAMES } from "../../shared/names";
import type { Strings } from "../../shared/strings";
import type { WebApi } from "../../shared/webapi";
import { Card, Muted } from "./Card";
import { readableSubjects } from "./data";
import { useHistoryStyles, usePanelStyles } from "./RelationshipAnalytics.styles";

/** Below this width (a phone, a narrow form column) the history table becomes a list of stacked items. */
export const NARROW_WIDTH = 560;

export interface HistoryProps {
  items: HistoryItem[];
  total: number;
  api: WebApi;
  t: Strings;
  f: Formatter;
  /** History items shown before "Show more". */
  pageSize?: number;
  width?: number;
}

/** One interaction as the table and the list show it. */
interface HistoryRow {
  key: string;
  at: string;
  kind: string;
  direction: string;
  people: string;
  subject: React.ReactElement;
  subjectState: "shown" | "hidden" | "untracked";
}

/** The subjects this user may read of the tracked activities on screen, by bare activity id. */
function useSubjects(api: WebApi, visible: HistoryItem[]): Map<string, string> {
  const [subjects, setSubjects] = React.useState<Map<string, string>>(new Map());
  const trackedKey = visible.map((i) => i.activityId ?? "").join(",");
  React.useEffect(() => {
    let live = true;
    void readableSubjects(api, visible).then((m) => live && setSubjects(m));
    return () => {
      live = false;
    };
    // Re-read when the tracked ids on screen change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, trackedKey]);
  return subjects;
}

/**
 * Directory names of the people on screen, by lower-case address: our side by their user's full name,
 * theirs by their contact's or lead's. One query per table for the page; addresses stay where none is known.
 */
function useNames(api: WebApi, visible: HistoryItem[]): Map<string, string> {
  const [names, setNames] = React.useState<Map<string, string>>(new Map());
  const ours = [...new Set(visible.flatMap((i) => i.ours))];
  const theirs = [...new Set(visible.flatMap((i) => i.theirs))];
  const key = `${ours.join(",")}|${theirs.join(",")}`;
  React.useEffect(() => {
    let live = true;
    void Promise.all([
      ours.length ? directoryNames(api, ours, [COLLEAGUE_NAMES]) : new Map<string, string>(),
      theirs.length ? directoryNames(api, theirs, PEOPLE_NAMES) : new Map<string, string>(),
    ]).then(
      ([a, b]) => live && setNames(new Map([...a, ...b])),
      // A failed lookup leaves the addresses: the history itself is already on screen.
      () => undefined,
    );
    return () => {
      live = false;
    };
    // Re-read when the people on screen change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  return names;
}

function historyRows(
  visible: HistoryItem[],
  subjects: Map<string, string>,
  names: Map<string, string>,
  t: Strings,
  f: Formatter,
): HistoryRow[] {
  const named = (list: string[]) => list.map((a) => names.get(a.toLowerCase()) ?? a).join(", ");
  return visible.map((i, k) => ({
    key: `${i.at}-${k}`,
    at: f.dateTime(i.at),
    kind: t(`kind_${i.kind}`),
    direction: t(`dir_${i.direction}`),
    people:
      i.direction === "out"
        ? t("fromTo", { from: named(i.ours), to: named(i.theirs) })
        : t("fromTo", { from: named(i.theirs), to: named(i.ours) }),
    subject: <Subject item={i} subjects={subjects} t={t} />,
    subjectState: subjectState(i, subjects),
  }));
}

/** The interaction history, newest first, a page at a time; a table, or stacked items when narrow. */
export function History(props: HistoryProps): React.ReactElement {
  const { t, f, items } = props;
  const s = useHistoryStyles();
  const pageSize = props.pageSize ?? 15;
  const [shown, setShown] = React.useState(pageSize);
  const visible = items.slice(0, shown);
  const subjects = useSubjects(props.api, visible);
  const narrow = props.width !== undefined && props.width < NARROW_WIDTH;
  const names = useNames(props.api, visible);
  const rows = historyRows(visible, subjects, names, t, f);
  const caption = t("historyCaption", {
    shown: f.number(visible.length),
    total: f.number(Math.max(props.total, items.length)),
  });
  return (
    <Card id="history" title={t("history")}>
      {items.length === 0 ? (
        <Muted>{t("none")}</Muted>
      ) : (
        <div className={s.scroll}>
          {narrow ? (
            <HistoryList rows={rows} caption={caption} />
          ) : (
            <HistoryTable rows={rows} caption={caption} t={t} />
          )}
          {shown < items.length && (
            <Button appearance="subtle" size="small" onClick={() => setShown((n) => n + pageSize)}>
              {t("showMore")}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}

/** On a phone the five columns do not fit: each interaction is a stacked item with the same facts. */
function HistoryList(props: { rows: HistoryRow[]; caption: string }): React.ReactElement {
  const s = useHistoryStyles();
  const p = usePanelStyles();
  return (
    <>
      <p className={mergeClasses(p.small, s.listCaption)}>{props.caption}</p>
      <ol className={s.list} data-testid="history" data-layout="list">
        {props.rows.map((r) => (
          <li key={r.key} className={mergeClasses(s.cell, s.item)}>
            <span className={s.strong}>{r.at}</span>
            <span className={p.muted}>
              {r.kind} · {r.direction}
            </span>
            <span>{r.people}</span>
            <span data-subject={r.subjectState}>{r.subject}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

const COLUMNS = ["date", "type", "direction", "people", "subject"] as const;

function HistoryTable(props: { rows: HistoryRow[]; caption: string; t: Strings }): React.ReactElement {
  const s = useHistoryStyles();
  const p = usePanelStyles();
  return (
    <table className={s.table} data-testid="history" data-layout="table">
      <caption className={mergeClasses(s.caption, p.muted)}>{props.caption}</caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c} scope="col" className={s.cell}>
              {props.t(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            <td className={s.cell}>{r.at}</td>
            <td className={s.cell}>{r.kind}</td>
            <td className={s.cell}>{r.direction}</td>
            <td className={s.cell}>{r.people}</td>
            <td className={s.cell} data-subject={r.subjectState}>
              {r.subject}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Whether an item's subject is shown, hidden from this user, or not tracked in Dataverse at all. */
function subjectState(item: HistoryItem, subjects: Map<string, string>): "shown" | "hidden" | "untracked" {
  if (item.activityId && subjects.has(bareId(item.activityId))) return "shown";
  return item.activityId ? "hidden" : "untracked";
}

function Subject(props: {
  item: HistoryItem;
  subjects: Map<string, string>;
  t: Strings;
}): React.ReactElement {
  const { item, t } = props;
  const p = usePanelStyles();
  const subject = item.activityId ? props.subjects.get(bareId(item.activityId)) : undefined;
  if (subject !== undefined) return <>{subject}</>;
  return item.activityId ? (
    <span className={p.muted}>{t("subjectHidden")}</span>
  ) : (
    <span className={p.muted} title={t("subjectUntracked")}>
      —
    </span>
  );
}
