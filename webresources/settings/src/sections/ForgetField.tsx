import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
} from "@fluentui/react-components";
import * as React from "react";

import type { SettingsApi } from "../api";
import { isAddress } from "../form";
import { type Action, messageOf, type Translate } from "../useSettingsForm";
import { usePrivacyStyles } from "./sections.styles";

export interface ForgetProps {
  api: SettingsApi;
  t: Translate;
  status: Action;
  setStatus: (a: Action) => void;
  onForgotten: (address: string) => void;
}

/** An address to forget, checked, then confirmed in a dialog before anything is deleted. */
export function ForgetField(props: ForgetProps): React.ReactElement {
  const { t, status } = props;
  const s = usePrivacyStyles();
  const [address, setAddress] = React.useState("");
  const [open, setOpen] = React.useState(false);
  const [touched, setTouched] = React.useState(false);
  const a = address.trim().toLowerCase();
  const valid = isAddress(a);
  const confirm = async () => {
    setOpen(false);
    if (await forget(props, a)) {
      setAddress("");
      setTouched(false);
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
      <ConfirmForget t={t} address={a} open={open} setOpen={setOpen} onConfirm={confirm} />
    </div>
  );
}

/** Forgets the address, reporting on the status line; true when it was forgotten. */
async function forget(props: ForgetProps, a: string): Promise<boolean> {
  const { api, t, setStatus } = props;
  setStatus({ state: "pending", text: t("forgetting", { address: a }) });
  try {
    const r = await api.forget(a);
    props.onForgotten(a);
    setStatus({
      state: "done",
      text: t("forgot", { address: a, count: r.connectionsDeleted, introductions: r.introductionsDeleted }),
    });
    return true;
  } catch (err) {
    setStatus({ state: "failed", text: t("forgetFailed", { address: a, message: messageOf(err) }) });
    return false;
  }
}

function ConfirmForget(props: {
  t: Translate;
  address: string;
  open: boolean;
  setOpen: (open: boolean) => void;
  onConfirm: () => void;
}): React.ReactElement {
  const { t, address, setOpen } = props;
  return (
    <Dialog open={props.open} onOpenChange={(_, d) => setOpen(d.open)} modalType="alert">
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t("forgetConfirmTitle", { address })}</DialogTitle>
          <DialogContent>{t("forgetConfirmBody", { address })}</DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={() => setOpen(false)}>
              {t("cancel")}
            </Button>
            <Button appearance="primary" onClick={props.onConfirm}>
              {t("forgetConfirm")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
