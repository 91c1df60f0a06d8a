import {
  Body1,
  Button,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Title2,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import * as React from "react";

import type { SettingsApi } from "./api";
import { useAppStyles } from "./App.styles";
import { SaveBar } from "./SaveBar";
import {
  CadenceSection,
  DataSection,
  FeaturesSection,
  GradesSection,
  PrivacySection,
  WeightsSection,
  WhoKnowsWhomSection,
} from "./sections";
import { fill, type StringTable } from "./strings";
import { usePrefersDark } from "./usePrefersDark";
import { type Load, type Translate, useSettingsForm } from "./useSettingsForm";

export function App(props: { api: SettingsApi; strings: StringTable }): React.ReactElement {
  const dark = usePrefersDark();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <SettingsPage {...props} />
    </FluentProvider>
  );
}

/** The page shell: loading and error states, then the sections and the save bar. */
export function SettingsPage({
  api,
  strings,
}: {
  api: SettingsApi;
  strings: StringTable;
}): React.ReactElement {
  const s = useAppStyles();
  const t: Translate = React.useCallback((key, params) => fill(strings[key], params), [strings]);
  const page = useSettingsForm(api, t);
  const { load, fields } = page;
  if (load.state !== "ready")
    return (
      <div className={s.page}>
        <main className={s.main}>
          {load.state === "loading" ? (
            <Spinner label={t("loading")} />
          ) : (
            <LoadFailed load={load} t={t} onRetry={page.reload} />
          )}
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
        <FeaturesSection fields={fields} t={t} />
        <WeightsSection fields={fields} t={t} />
        <CadenceSection fields={fields} t={t} />
        <GradesSection fields={fields} t={t} />
        <DataSection fields={fields} t={t} />
        <PrivacySection fields={fields} t={t} api={api} forget={page.forget} />
        <WhoKnowsWhomSection fields={fields} t={t} />
      </main>
      <SaveBar
        t={t}
        save={page.save}
        recompute={page.recompute}
        forgetStatus={page.forget.status}
        dirty={page.dirty}
      />
    </div>
  );
}

/** The row could not be read: what went wrong (Dataverse's code and status when it gave them) and a retry. */
function LoadFailed(props: {
  load: Extract<Load, { state: "error" }>;
  t: Translate;
  onRetry: () => void;
}): React.ReactElement {
  const { load, t } = props;
  const s = useAppStyles();
  return (
    <>
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
        <Button onClick={props.onRetry}>{t("retry")}</Button>
      </div>
    </>
  );
}
