import * as React from "react";

import type { SettingsApi } from "../api";
import { type Action } from "../useSettingsForm";
import { ForgetField } from "./ForgetField";
import { OptedOutField } from "./OptedOutField";
import { Section } from "./Section";
import type { SectionProps } from "./types";

/** Colleagues who opted out, and forgetting a person (their connections deleted, their address excluded). */
export function PrivacySection(
  props: SectionProps & {
    api: SettingsApi;
    forget: { status: Action; setStatus: (a: Action) => void; onForgotten: (address: string) => void };
  },
): React.ReactElement {
  const { api, t, fields, forget } = props;
  return (
    <Section id="privacy" title={t("privacyHeading")}>
      <OptedOutField
        api={api}
        t={t}
        value={fields.values.optedOutUsers}
        onChange={(optedOutUsers) => fields.set({ optedOutUsers })}
      />
      <ForgetField
        api={api}
        t={t}
        status={forget.status}
        setStatus={forget.setStatus}
        onForgotten={forget.onForgotten}
      />
    </Section>
  );
}
