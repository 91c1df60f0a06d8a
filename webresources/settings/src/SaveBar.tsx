import { Body1, Button, Caption1, Spinner } from "@fluentui/react-components";
import * as React from "react";

import { useSaveBarStyles } from "./SaveBar.styles";
import type { Action, Command, Translate } from "./useSettingsForm";

/** The footer that stays in view: Save, Recompute now, and the status of each (read out politely). */
export function SaveBar(props: {
  t: Translate;
  save: Command;
  recompute: Command;
  forgetStatus: Action;
  dirty: boolean;
}): React.ReactElement {
  const { t, save, recompute } = props;
  const s = useSaveBarStyles();
  const saving = save.status.state === "pending";
  return (
    <footer className={s.footer}>
      <div className={s.footerInner}>
        <Button
          appearance="primary"
          onClick={save.run}
          disabled={saving}
          icon={saving ? <Spinner size="tiny" /> : undefined}
        >
          {saving ? t("saving") : t("save")}
        </Button>
        <Button onClick={recompute.run} disabled={recompute.status.state === "pending"}>
          {t("recompute")}
        </Button>
        <div className={s.status} role="status" aria-live="polite" aria-atomic="true">
          <StatusLine action={save.status} />
          {!saving && props.dirty ? <Caption1>{t("unsaved")} </Caption1> : null}
          <StatusLine action={recompute.status} />
          <StatusLine action={props.forgetStatus} />
        </div>
      </div>
    </footer>
  );
}

function StatusLine({ action }: { action: Action }): React.ReactElement | null {
  const s = useSaveBarStyles();
  if (action.state === "idle") return null;
  return (
    <Body1 block className={s[action.state]} data-status={action.state}>
      {action.text}
    </Body1>
  );
}
