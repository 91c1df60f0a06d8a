import * as React from "react";

import { DataverseError, type SettingsApi } from "./api";
import { formFromRow, rowFromForm, sameSettings, type SettingsForm, validate } from "./form";
import type { StringKey } from "./strings";

/** The settings row's load: the form shows once it is ready (`exists` false: no row yet, defaults shown). */
export type Load =
  | { state: "loading" }
  | { state: "error"; message: string; code?: string; status?: number }
  | { state: "ready"; exists: boolean };

/** A button's action (save, recompute, forget) and the status line it shows. */
export type Action =
  | { state: "idle" }
  | { state: "pending"; text: string }
  | { state: "done"; text: string }
  | { state: "failed"; text: string };

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

export const messageOf = (err: unknown): string =>
  err instanceof DataverseError
    ? err.message + (err.code ? ` (${err.code})` : "")
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * The settings page's state: the row's load, the form against what is saved (dirty, validation errors),
 * save and recompute with their status lines, and the form kept in step when an address is forgotten.
 */
// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function useSettingsForm(api: SettingsApi, t: Translate) {
  const [load, setLoad] = React.useState<Load>({ state: "loading" });
  const [saved, setSaved] = React.useState<SettingsForm>(() => formFromRow(undefined));
  const [form, setForm] = React.useState<SettingsForm>(() => formFromRow(undefined));
  const [save, setSave] = React.useState<Action>({ state: "idle" });
  const [recompute, setRecompute] = React.useState<Action>({ state: "idle" });
  const [forgetStatus, setForgetStatus] = React.useState<Action>({ state: "idle" });

  const reload = React.useCallback(() => {
    setLoad({ state: "loading" });
    api.load().then(
      (row) => {
        const f = formFromRow(row);
        setSaved(f);
        setForm(f);
        setLoad({ state: "ready", exists: row !== undefined });
      },
      (err: unknown) =>
        setLoad({
          state: "error",
          message: err instanceof Error ? err.message : String(err),
          ...(err instanceof DataverseError
            ? { status: err.status, ...(err.code ? { code: err.code } : {}) }
            : {}),
        }),
    );
  }, [api]);
  React.useEffect(reload, [reload]);

  const errors = validate(form);
  const invalid = Object.keys(errors).length > 0;
  const dirty = !sameSettings(form, saved);
  const update = (patch: Partial<SettingsForm>) => setForm((f) => ({ ...f, ...patch }));

  const onSave = async () => {
    if (invalid) {
      setSave({ state: "failed", text: t("fixErrors") });
      return;
    }
    setSave({ state: "pending", text: t("saving") });
    try {
      await api.save(rowFromForm(form));
      setSaved(form);
      setLoad({ state: "ready", exists: true });
      setSave({ state: "done", text: t("saved") });
    } catch (err) {
      setSave({ state: "failed", text: t("saveFailed", { message: messageOf(err) }) });
    }
  };

  const onRecompute = async () => {
    setRecompute({ state: "pending", text: t("recomputing") });
    try {
      await api.recompute();
      setRecompute({ state: "done", text: t("recomputed") });
    } catch (err) {
      setRecompute({ state: "failed", text: t("recomputeFailed", { message: messageOf(err) }) });
    }
  };

  const onForgotten = (address: string) => {
    // The address is now excluded in the row: keep the form (and what counts as saved) in step.
    const add = (f: SettingsForm) =>
      f.excludedAddresses
        .split(/\n/)
        .map((l) => l.trim().toLowerCase())
        .includes(address)
        ? f
        : { ...f, excludedAddresses: [f.excludedAddresses.trim(), address].filter(Boolean).join("\n") };
    setForm(add);
    setSaved(add);
    setLoad({ state: "ready", exists: true });
  };

  return {
    load,
    form,
    errors,
    dirty,
    update,
    reload,
    save,
    onSave,
    recompute,
    onRecompute,
    forgetStatus,
    setForgetStatus,
    onForgotten,
  };
}
