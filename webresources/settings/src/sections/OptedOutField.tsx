import { Caption1, Combobox, Field, Option, Tag, TagGroup } from "@fluentui/react-components";
import * as React from "react";

import type { Colleague, SettingsApi } from "../api";
import type { Translate } from "../useSettingsForm";
import { usePrivacyStyles } from "./sections.styles";
import { useColleagueSearch } from "./useColleagueSearch";

/** The colleagues who opted out, as dismissible tags, and a search to add one. */
export function OptedOutField(props: {
  api: SettingsApi;
  t: Translate;
  value: string[];
  onChange: (v: string[]) => void;
}): React.ReactElement {
  const { t, value, onChange } = props;
  const s = usePrivacyStyles();
  return (
    <Field label={t("optedOut")} hint={t("optedOutHint")}>
      <div>
        {value.length ? (
          <TagGroup
            aria-label={t("optedOut")}
            onDismiss={(_, d) => onChange(value.filter((v) => v !== d.value))}
            className={s.tags}
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
          <Caption1 block className={s.none}>
            {t("optedOutNone")}
          </Caption1>
        )}
        <ColleagueSearch {...props} />
      </div>
    </Field>
  );
}

/** The search box: what is typed finds colleagues; choosing one adds their address. */
function ColleagueSearch(props: {
  api: SettingsApi;
  t: Translate;
  value: string[];
  onChange: (v: string[]) => void;
}): React.ReactElement {
  const { api, t, value, onChange } = props;
  const [text, setText] = React.useState("");
  const [open, setOpen] = React.useState(false);
  const found = useColleagueSearch(api, text);
  return (
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
      <ColleagueOptions found={found} value={value} t={t} />
    </Combobox>
  );
}

/** The options: a disabled "Searching…" or "No match", else the colleagues not already listed. */
function ColleagueOptions(props: {
  found: Colleague[] | "searching" | undefined;
  value: string[];
  t: Translate;
}): React.ReactElement {
  const { found, value, t } = props;
  const options = Array.isArray(found) ? found.filter((c) => !value.includes(c.email)) : [];
  if (found === "searching")
    return (
      <Option disabled value="" text={t("searching")}>
        {t("searching")}
      </Option>
    );
  if (found && options.length === 0)
    return (
      <Option disabled value="" text={t("noMatch")}>
        {t("noMatch")}
      </Option>
    );
  return (
    <>
      {options.map((c) => (
        <Option key={c.id} value={c.email} text={`${c.name} <${c.email}>`}>
          {`${c.name} <${c.email}>`}
        </Option>
      ))}
    </>
  );
}
