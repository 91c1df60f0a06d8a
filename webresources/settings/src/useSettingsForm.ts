import * as React from "react";

import { DataverseError, type SettingsApi } from "./api";
import {
  type FieldError,
  type FieldName,
  formFromRow,
  rowFromForm,
  sameSettings,
  type SettingsForm,
  validate,
  withExcludedAddress,
} from "./form";
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

/** A button's status line and what runs it. */
export interface Command {
  status: Action;
  run: () => Promise<void>;
}

/** The form's fields as a section sees them: values, errors, a setter. */
export interface FormFields {
  values: SettingsForm;
  errors: Partial<Record<FieldName, FieldError>>;
  set: (patch: Partial<SettingsForm>) => void;
}

export const messageOf = (err: unknown): string =>
  err instanceof DataverseError
    ? err.message + (err.code ? ` (${err.code})` : "")
    : err instanceof Error
      ? err.message
      : String(err);

const IDLE: Action = { state: "idle" };

/** The load's error state for a failed read: the message, and Dataverse's status and code when it gave them. */
function loadError(err: unknown): Load {
  return {
    state: "error",
    message: err instanceof Error ? err.message : String(err),
    ...(err instanceof DataverseError ? { status: err.status, ...(err.code ? { code: err.code } : {}) } : {}),
  };
}

/** Runs an action, showing pending, then done or failed (with the error's message) on its status line. */
async function runAction(
  setStatus: (a: Action) => void,
  text: { pending: string; done: string; failed: (message: string) => string },
  work: () => Promise<void>,
): Promise<void> {
  setStatus({ state: "pending", text: text.pending });
  try {
    await work();
    setStatus({ state: "done", text: text.done });
  } catch (err) {
    setStatus({ state: "failed", text: text.failed(messageOf(err)) });
  }
}

/** The row's load and the two forms it gives: what is saved, and what the admin edits. */
function useSettingsRow(api: SettingsApi) {
  const [load, setLoad] = React.useState<Load>({ state: "loading" });
  const [saved, setSaved] = React.useState<SettingsForm>(() => formFromRow(undefined));
  const [values, setValues] = React.useState<SettingsForm>(() => formFromRow(undefined));
  const reload = React.useCallback(() => {
    setLoad({ state: "loading" });
    api.load().then(
      (row) => {
        const f = formFromRow(row);
        setSaved(f);
        setValues(f);
        setLoad({ state: "ready", exists: row !== undefined });
      },
      (err: unknown) => setLoad(loadError(err)),
    );
  }, [api]);
  React.useEffect(reload, [reload]);
  return { load, setLoad, reload, saved, setSaved, values, setValues };
}

/**
 * The settings page's state: the row's load, the form against what is saved (values, errors, dirty, set),
 * save and recompute with their status lines, and the form kept in step when an address is forgotten.
 */
export function useSettingsForm(api: SettingsApi, t: Translate) {
  const row = useSettingsRow(api);
  const { values, setValues, setSaved, setLoad } = row;
  const [saveStatus, setSaveStatus] = React.useState<Action>(IDLE);
  const [recomputeStatus, setRecomputeStatus] = React.useState<Action>(IDLE);
  const [forgetStatus, setForgetStatus] = React.useState<Action>(IDLE);

  const errors = validate(values);
  const set = (patch: Partial<SettingsForm>) => setValues((f) => ({ ...f, ...patch }));

  const save = async () => {
    if (Object.keys(errors).length > 0) return setSaveStatus({ state: "failed", text: t("fixErrors") });
    const text = {
      pending: t("saving"),
      done: t("saved"),
      failed: (message: string) => t("saveFailed", { message }),
    };
    await runAction(setSaveStatus, text, async () => {
      await api.save(rowFromForm(values));
      setSaved(values);
      setLoad({ state: "ready", exists: true });
    });
  };
  const recompute = () =>
    runAction(
      setRecomputeStatus,
      {
        pending: t("recomputing"),
        done: t("recomputed"),
        failed: (message) => t("recomputeFailed", { message }),
      },
      () => api.recompute(),
    );
  const onForgotten = (address: string) => {
    // The address is now excluded in the row: keep the form (and what counts as saved) in step.
    setValues((f) => withExcludedAddress(f, address));
    setSaved((f) => withExcludedAddress(f, address));
    setLoad({ state: "ready", exists: true });
  };

  return {
    load: row.load,
    reload: row.reload,
    fields: { values, errors, set } satisfies FormFields,
    dirty: !sameSettings(values, row.saved),
    save: { status: saveStatus, run: save } satisfies Command,
    recompute: { status: recomputeStatus, run: recompute } satisfies Command,
    forget: { status: forgetStatus, setStatus: setForgetStatus, onForgotten },
  };
}

export type SettingsFormState = ReturnType<typeof useSettingsForm>;
