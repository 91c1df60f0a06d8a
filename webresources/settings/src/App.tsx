import {
  Body1,
  Button,
  Caption1,
  Combobox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  FluentProvider,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Select,
  Slider,
  Spinner,
  Subtitle1,
  Switch,
  Tag,
  TagGroup,
  Textarea,
  Title2,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import * as React from "react";

import type { Colleague, SettingsApi } from "./api";
import {
  CADENCES,
  type FieldError,
  formatPercent,
  isAddress,
  RECORD_TYPES,
  WEIGHT_KINDS,
  WEIGHT_MAX,
  WEIGHT_MIN,
} from "./form";
import { fill, type StringKey, type StringTable } from "./strings";
import { type Action, messageOf, useSettingsForm } from "./useSettingsForm";

const useStyles = makeStyles({
  page: {
    minHeight: "100vh",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXL} 0`,
  },
  main: { maxWidth: "920px", margin: "0 auto", display: "flex", flexDirection: "column", gap: "16px" },
  intro: { color: tokens.colorNeutralForeground2 },
  section: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  hint: { color: tokens.colorNeutralForeground2 },
  heading: { margin: 0 },
  grid: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(190px, 1fr))",
    gap: "12px 24px",
    "& > *": { minWidth: 0 },
  },
  fill: { width: "100%", minWidth: 0 },
  weight: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  slider: { flexGrow: 1, minWidth: 0 },
  weightValue: { minWidth: "3.5em", textAlign: "end", fontVariantNumeric: "tabular-nums" },
  row: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  grow: { flexGrow: 1, minWidth: "240px" },
  footer: {
    position: "sticky",
    bottom: 0,
    marginTop: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalM} 0`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  footerInner: {
    maxWidth: "920px",
    margin: "0 auto",
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    flexWrap: "wrap",
  },
  status: { flexGrow: 1, minHeight: "20px" },
});

/** The user's colour scheme, followed live. */
function usePrefersDark(): boolean {
  const query =
    typeof window !== "undefined" && window.matchMedia
      ? window.matchMedia("(prefers-color-scheme: dark)")
      : undefined;
  const [dark, setDark] = React.useState(query?.matches ?? false);
  React.useEffect(() => {
    if (!query) return undefined;
    const onChange = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [query]);
  return dark;
}

export function App(props: { api: SettingsApi; strings: StringTable }): React.ReactElement {
  const dark = usePrefersDark();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <SettingsPage {...props} />
    </FluentProvider>
  );
}

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
export function SettingsPage({
  api,
  strings,
}: {
  api: SettingsApi;
  strings: StringTable;
}): React.ReactElement {
  const s = useStyles();
  const t = React.useCallback(
    (key: StringKey, params?: Record<string, string | number>) => fill(strings[key], params),
    [strings],
  );
  const page = useSettingsForm(api, t);
  const { load, form, errors, update } = page;
  // Errors show as soon as a field is wrong (the fields hold valid values until an admin edits them).
  const errorText = (e: FieldError | undefined) => (e ? t(e.key, e.params) : undefined);
  if (load.state === "loading")
    return (
      <div className={s.page}>
        <main className={s.main}>
          <Spinner label={t("loading")} />
        </main>
      </div>
    );

  if (load.state === "error")
    return (
      <div className={s.page}>
        <main className={s.main}>
          <Title2 as="h1" className={s.heading}>
            {t("pageTitle")}
          </Title2>
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>{t("loadFailed")}</MessageBarTitle>
              {load.message}
              {load.code ? ` ${t("errorCode", { code: load.code })}` : ""}
              {load.status ? ` ${t("errorStatus", { status: load.status })}` : ""}
            </MessageBarBody>
          </MessageBar>
          <div>
            <Button onClick={page.reload}>{t("retry")}</Button>
          </div>
        </main>
      </div>
    );

  return (
    <div className={s.page}>
      <main className={s.main} aria-labelledby="rp-title">
        <Title2 as="h1" id="rp-title" className={s.heading}>
          {t("pageTitle")}
        </Title2>
        <Body1 className={s.intro}>{t("pageIntro")}</Body1>
        {!load.exists && (
          <MessageBar intent="info">
            <MessageBarBody>
              <MessageBarTitle>{t("emptyTitle")}</MessageBarTitle>
              {t("emptyBody")}
            </MessageBarBody>
          </MessageBar>
        )}

        <Section id="features" title={t("featuresHeading")}>
          <div className={s.grid}>
            {(["analytics", "whoKnowsWhom", "m365"] as const).map((k) => (
              <Field key={k} hint={t(`${k}Hint`)}>
                <Switch
                  label={`${t(k)}: ${form[k] ? t("on") : t("off")}`}
                  checked={form[k]}
                  onChange={(_, d) => update({ [k]: d.checked })}
                />
              </Field>
            ))}
          </div>
        </Section>

        <Section id="weights" title={t("weightsHeading")} hint={t("weightsHint")}>
          <div className={s.grid}>
            {WEIGHT_KINDS.map((kind) => {
              const v = form.weights[kind];
              return (
                <Field key={kind} label={t(`weight_${kind}`)}>
                  <div className={s.weight}>
                    <Slider
                      className={s.slider}
                      min={WEIGHT_MIN}
                      max={WEIGHT_MAX}
                      step={1}
                      value={v}
                      aria-valuetext={formatPercent(v)}
                      data-weight={kind}
                      onChange={(_, d) => update({ weights: { ...form.weights, [kind]: d.value } })}
                    />
                    <Body1 className={s.weightValue} aria-hidden="true">
                      {formatPercent(v)}
                    </Body1>
                  </div>
                </Field>
              );
            })}
          </div>
        </Section>

        <Section id="cadence" title={t("cadenceHeading")} hint={t("cadenceHint")}>
          <div className={s.grid}>
            {RECORD_TYPES.map((type) => (
              <Field key={type} label={t(`cadence_${type}`)}>
                <Select
                  className={s.fill}
                  value={form.cadence[type]}
                  onChange={(_, d) =>
                    update({ cadence: { ...form.cadence, [type]: d.value as (typeof CADENCES)[number] } })
                  }
                >
                  {CADENCES.map((c) => (
                    <option key={c} value={c}>
                      {t(`cadence_${c}`)}
                    </option>
                  ))}
                </Select>
              </Field>
            ))}
          </div>
        </Section>

        <Section id="grades" title={t("gradesHeading")} hint={t("gradesHint")}>
          <div className={s.grid}>
            <Field
              label={t("good")}
              validationMessage={errorText(errors.good)}
              validationState={errors.good ? "error" : "none"}
            >
              <Input
                type="number"
                inputMode="numeric"
                min={2}
                max={100}
                value={form.good}
                name="good"
                onChange={(_, d) => update({ good: d.value })}
              />
            </Field>
            <Field
              label={t("fair")}
              validationMessage={errorText(errors.fair)}
              validationState={errors.fair ? "error" : "none"}
            >
              <Input
                type="number"
                inputMode="numeric"
                min={1}
                max={99}
                value={form.fair}
                name="fair"
                onChange={(_, d) => update({ fair: d.value })}
              />
            </Field>
          </div>
        </Section>

        <Section id="data" title={t("dataHeading")}>
          {(["orgDomains", "excludedDomains", "excludedAddresses"] as const).map((k) => (
            <Field
              key={k}
              label={t(k)}
              hint={t(`${k}Hint`)}
              validationMessage={errorText(errors[k])}
              validationState={errors[k] ? "error" : "none"}
            >
              <Textarea
                value={form[k]}
                name={k}
                resize="vertical"
                rows={3}
                onChange={(_, d) => update({ [k]: d.value })}
              />
            </Field>
          ))}
        </Section>

        <Section id="privacy" title={t("privacyHeading")}>
          <OptedOut
            api={api}
            t={t}
            value={form.optedOutUsers}
            onChange={(optedOutUsers) => update({ optedOutUsers })}
          />
          <Forget
            api={api}
            t={t}
            status={page.forgetStatus}
            setStatus={page.setForgetStatus}
            onForgotten={page.onForgotten}
          />
        </Section>

        <Section id="wkw" title={t("wkwHeading")}>
          <Field label={t("roles")} hint={t("rolesHint")}>
            <Textarea
              value={form.whoKnowsWhomRoles}
              name="roles"
              resize="vertical"
              rows={2}
              onChange={(_, d) => update({ whoKnowsWhomRoles: d.value })}
            />
          </Field>
          <Field label={t("template")} hint={t("templateHint")}>
            <Textarea
              value={form.introductionTemplate}
              name="template"
              resize="vertical"
              rows={6}
              onChange={(_, d) => update({ introductionTemplate: d.value })}
            />
          </Field>
        </Section>
      </main>

      <footer className={s.footer}>
        <div className={s.footerInner}>
          <Button
            appearance="primary"
            onClick={page.onSave}
            disabled={page.save.state === "pending"}
            icon={page.save.state === "pending" ? <Spinner size="tiny" /> : undefined}
          >
            {page.save.state === "pending" ? t("saving") : t("save")}
          </Button>
          <Button onClick={page.onRecompute} disabled={page.recompute.state === "pending"}>
            {t("recompute")}
          </Button>
          <div className={s.status} role="status" aria-live="polite" aria-atomic="true">
            <StatusLine action={page.save} />
            {page.save.state !== "pending" && page.dirty ? <Caption1>{t("unsaved")} </Caption1> : null}
            <StatusLine action={page.recompute} />
            <StatusLine action={page.forgetStatus} />
          </div>
        </div>
      </footer>
    </div>
  );
}

function StatusLine({ action }: { action: Action }): React.ReactElement | null {
  if (action.state === "idle") return null;
  const color =
    action.state === "failed"
      ? tokens.colorPaletteRedForeground1
      : action.state === "done"
        ? tokens.colorPaletteGreenForeground1
        : tokens.colorNeutralForeground2;
  return (
    <Body1 block style={{ color }} data-status={action.state}>
      {action.text}
    </Body1>
  );
}

function Section(props: {
  id: string;
  title: string;
  hint?: string;
  children: React.ReactNode;
}): React.ReactElement {
  const s = useStyles();
  return (
    <section className={s.section} aria-labelledby={`rp-${props.id}`}>
      <Subtitle1 as="h2" id={`rp-${props.id}`} className={s.heading}>
        {props.title}
      </Subtitle1>
      {props.hint ? <Body1 className={s.hint}>{props.hint}</Body1> : null}
      {props.children}
    </section>
  );
}

type T = (key: StringKey, params?: Record<string, string | number>) => string;

// eslint-disable-next-line max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function OptedOut(props: {
  api: SettingsApi;
  t: T;
  value: string[];
  onChange: (v: string[]) => void;
}): React.ReactElement {
  const { api, t, value, onChange } = props;
  const [text, setText] = React.useState("");
  const [open, setOpen] = React.useState(false);
  const [found, setFound] = React.useState<Colleague[] | "searching" | undefined>(undefined);
  React.useEffect(() => {
    if (!text.trim()) {
      setFound(undefined);
      return undefined;
    }
    let live = true;
    setFound("searching");
    const timer = setTimeout(() => {
      api.searchColleagues(text).then(
        (c) => live && setFound(c),
        () => live && setFound([]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, text]);
  const options = Array.isArray(found) ? found.filter((c) => !value.includes(c.email)) : [];
  return (
    <Field label={t("optedOut")} hint={t("optedOutHint")}>
      <div>
        {value.length ? (
          <TagGroup
            aria-label={t("optedOut")}
            onDismiss={(_, d) => onChange(value.filter((v) => v !== d.value))}
            style={{ flexWrap: "wrap", marginBottom: 8 }}
          >
            {value.map((a) => (
              <Tag
                key={a}
                value={a}
                dismissible
                dismissIcon={{ "aria-label": t("optedOutRemove", { name: a }) }}
              >
                {a}
              </Tag>
            ))}
          </TagGroup>
        ) : (
          <Caption1 block style={{ marginBottom: 8 }}>
            {t("optedOutNone")}
          </Caption1>
        )}
        <Combobox
          aria-label={t("optedOutSearch")}
          placeholder={t("optedOutSearch")}
          freeform
          value={text}
          open={open && text.trim() !== ""}
          onOpenChange={(_, d) => setOpen(d.open)}
          onInput={(e) => {
            setText((e.target as HTMLInputElement).value);
            setOpen(true);
          }}
          onOptionSelect={(_, d) => {
            if (d.optionValue && !value.includes(d.optionValue)) onChange([...value, d.optionValue]);
            setText("");
            setOpen(false);
          }}
        >
          {found === "searching" ? (
            <Option disabled value="" text={t("searching")}>
              {t("searching")}
            </Option>
          ) : found && options.length === 0 ? (
            <Option disabled value="" text={t("noMatch")}>
              {t("noMatch")}
            </Option>
          ) : (
            options.map((c) => (
              <Option key={c.id} value={c.email} text={`${c.name} <${c.email}>`}>
                {`${c.name} <${c.email}>`}
              </Option>
            ))
          )}
        </Combobox>
      </div>
    </Field>
  );
}

function Forget(props: {
  api: SettingsApi;
  t: T;
  status: Action;
  setStatus: (a: Action) => void;
  onForgotten: (address: string) => void;
}): React.ReactElement {
  const { api, t, status, setStatus, onForgotten } = props;
  const s = useStyles();
  const [address, setAddress] = React.useState("");
  const [open, setOpen] = React.useState(false);
  const [touched, setTouched] = React.useState(false);
  const a = address.trim().toLowerCase();
  const valid = isAddress(a);
  const confirm = async () => {
    setOpen(false);
    setStatus({ state: "pending", text: t("forgetting", { address: a }) });
    try {
      const r = await api.forget(a);
      onForgotten(a);
      setAddress("");
      setTouched(false);
      setStatus({ state: "done", text: t("forgot", { address: a, count: r.connectionsDeleted }) });
    } catch (err) {
      setStatus({ state: "failed", text: t("forgetFailed", { address: a, message: messageOf(err) }) });
    }
  };
  return (
    <div className={s.row}>
      <Field
        className={s.grow}
        label={t("forget")}
        hint={t("forgetHint")}
        validationMessage={touched && !valid ? t("forgetInvalid") : undefined}
        validationState={touched && !valid ? "error" : "none"}
      >
        <Input
          type="email"
          name="forget"
          value={address}
          onChange={(_, d) => setAddress(d.value)}
          placeholder="name@example.com"
        />
      </Field>
      <Button
        disabled={status.state === "pending"}
        onClick={() => {
          setTouched(true);
          if (valid) setOpen(true);
        }}
      >
        {t("forgetButton")}
      </Button>
      <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)} modalType="alert">
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t("forgetConfirmTitle", { address: a })}</DialogTitle>
            <DialogContent>{t("forgetConfirmBody", { address: a })}</DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={() => setOpen(false)}>
                {t("cancel")}
              </Button>
              <Button appearance="primary" onClick={confirm}>
                {t("forgetConfirm")}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
