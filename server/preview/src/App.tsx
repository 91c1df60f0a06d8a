import {
  Badge,
  FluentProvider,
  Link,
  mergeClasses,
  Select,
  Switch,
  Text,
  type Theme,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import * as React from "react";

import { useAppStyles } from "./App.styles";
import { EmailPage } from "./EmailPage";
import type { HostUser } from "./pcfHost";
import { RecordPage } from "./RecordPage";
import { href, type Route, useRoute } from "./route";
import type { PreviewManifest } from "./spec";
import { Failed, Loading } from "./states";
import { STRINGS } from "./strings";
import { useLoad } from "./usePromise";
import { ViewPage } from "./ViewPage";
import { getAll, webApi } from "./webApi";

const USER_KEY = "rapport.preview.user";
/** Read by the preview server: the Web API requests of every page (the settings frame too) run as this user. */
const USER_COOKIE = "rapport_preview_user";

function signIn(id: string): void {
  document.cookie = `${USER_COOKIE}=${encodeURIComponent(id)}; Path=/; SameSite=Strict`;
}

/** The user's security role ids, as the platform gives them to controls (userSettings.securityRoles). */
async function rolesOf(id: string): Promise<string[]> {
  try {
    const rows = await getAll(`systemusers(${id})/systemuserroles_association?$select=roleid`);
    return rows.map((r) => String(r["roleid"]));
  } catch (e) {
    // The platform knows a user's roles even when the user may not read the role tables (the service).
    if ((e as { status?: unknown }).status === 403) return [];
    throw e;
  }
}
const THEME_KEY = "rapport.preview.dark";

interface Loaded {
  manifest: PreviewManifest;
  users: HostUser[];
}

async function loadShell(): Promise<Loaded> {
  const res = await fetch("/preview/manifest.json", { credentials: "same-origin" });
  if (!res.ok) throw new Error(`manifest: ${res.status}`);
  const manifest = (await res.json()) as PreviewManifest;
  const users = // People sign in; application users (the Rapport service) have no mailbox and cannot.
    (
      await getAll(
        "systemusers?$select=systemuserid,fullname,internalemailaddress&$filter=internalemailaddress ne null&$orderby=fullname",
      )
    ).map((u) => ({
      id: String(u["systemuserid"]),
      name: String(u["fullname"] ?? u["internalemailaddress"] ?? ""),
    }));
  return { manifest, users };
}

/** The model-driven app around Rapport's controls: sitemap, view pages, record forms, settings. */
export function App(): React.ReactElement {
  const s = useAppStyles();
  const [dark, setDark] = React.useState(() => localStorage.getItem(THEME_KEY) === "1");
  const [shell, reload] = useLoad(loadShell, []);
  const theme = dark ? webDarkTheme : webLightTheme;
  return (
    <FluentProvider theme={theme} className={s.provider}>
      {shell.state === "loading" ? <Loading /> : null}
      {shell.state === "error" ? <Failed message={shell.message} onRetry={reload} /> : null}
      {shell.state === "done" ? (
        <Shell
          {...shell.value}
          dark={dark}
          onDark={(d) => {
            localStorage.setItem(THEME_KEY, d ? "1" : "0");
            setDark(d);
          }}
        />
      ) : null}
    </FluentProvider>
  );
}

/** The signed-in user (remembered, the first listed at first) and their security roles, loaded per user. */
function useSignedInUser(users: HostUser[]) {
  const [userId, setUserId] = React.useState(() => {
    const saved = localStorage.getItem(USER_KEY);
    const id = users.some((u) => u.id === saved) ? saved! : (users[0]?.id ?? "");
    signIn(id);
    return id;
  });
  const [roles, reloadRoles] = useLoad(() => (userId ? rolesOf(userId) : Promise.resolve([])), [userId]);
  const listed = users.find((u) => u.id === userId);
  const user = listed && roles.state === "done" ? { ...listed, roles: roles.value } : undefined;
  const switchTo = (id: string) => {
    localStorage.setItem(USER_KEY, id);
    signIn(id);
    setUserId(id);
  };
  return { userId, listed, roles, reloadRoles, user, switchTo };
}

function Shell(props: Loaded & { dark: boolean; onDark: (dark: boolean) => void }): React.ReactElement {
  const s = useAppStyles();
  const { manifest, users, dark } = props;
  const route = useRoute(manifest.tables[0]!.logicalName);
  const signedIn = useSignedInUser(users);
  return (
    <div className={s.shell}>
      <header className={s.top}>
        <span className={s.brand}>{STRINGS.appName}</span>
        <Badge appearance="outline" color="informative" className={s.badge}>
          {STRINGS.previewBadge}
        </Badge>
        <span className={s.spacer} />
        <label className={s.topLabel} htmlFor="preview-user">
          {STRINGS.signedInAs}
        </label>
        <Select
          id="preview-user"
          size="small"
          value={signedIn.userId}
          onChange={(_, d) => signedIn.switchTo(d.value)}
        >
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </Select>
        <Switch
          checked={dark}
          onChange={(_, d) => props.onDark(d.checked)}
          label={<span className={s.topLabel}>{STRINGS.theme}</span>}
        />
      </header>
      <div className={s.body}>
        <SiteMap manifest={manifest} route={route} />
        <main className={s.main} key={signedIn.user?.id}>
          <Content {...signedIn} manifest={manifest} route={route} dark={dark} />
        </main>
      </div>
    </div>
  );
}

/** The site map: one view page per table, then the settings. */
function SiteMap(props: { manifest: PreviewManifest; route: Route }): React.ReactElement {
  const s = useAppStyles();
  const { route } = props;
  const navItem = (key: string, label: string, target: string, current: boolean) => (
    <Link
      key={key}
      href={target}
      className={mergeClasses(s.navLink, current && s.current)}
      aria-current={current ? "page" : undefined}
    >
      {label}
    </Link>
  );
  return (
    <nav className={s.nav} aria-label={STRINGS.navLabel}>
      {props.manifest.tables.map((t) =>
        navItem(
          t.logicalName,
          t.displayCollectionName,
          href({ page: "view", table: t.logicalName }),
          (route.page === "view" || route.page === "record") && route.table === t.logicalName,
        ),
      )}
      {navItem("settings", STRINGS.settings, href({ page: "settings" }), route.page === "settings")}
    </nav>
  );
}

/** What the route shows, once the user and their roles are known. */
function Content(
  props: ReturnType<typeof useSignedInUser> & { manifest: PreviewManifest; route: Route; dark: boolean },
): React.ReactElement {
  const { listed, roles, user } = props;
  if (!listed) return <Text>{STRINGS.noUsers}</Text>;
  if (roles.state === "error") return <Failed message={roles.message} onRetry={props.reloadRoles} />;
  if (!user) return <Loading />;
  return <Page manifest={props.manifest} route={props.route} dark={props.dark} user={user} />;
}

/** The page of a route: the settings frame, an email, a record's form, a view; "not found" otherwise. */
function Page(props: {
  manifest: PreviewManifest;
  route: Route;
  dark: boolean;
  user: HostUser;
}): React.ReactElement {
  const s = useAppStyles();
  const { manifest, route } = props;
  const host = useHost(manifest, props.dark);
  const table =
    route.page === "view" || route.page === "record"
      ? manifest.tables.find((t) => t.logicalName === route.table)
      : undefined;
  if (route.page === "settings")
    return <iframe className={s.frame} title={STRINGS.settingsFrame} src={manifest.settingsPage} />;
  if (route.page === "record" && route.table === "email") return <EmailPage id={route.id} />;
  if (route.page === "record" && table)
    return <RecordPage table={table} id={route.id} user={props.user} {...host} />;
  if (route.page === "view" && table)
    return <ViewPage table={table} viewId={route.viewId} user={props.user} {...host} />;
  return <Text role="alert">{STRINGS.notFound}</Text>;
}

/** What every page hosting a control passes it: the theme, the Web API, navigation to a record's form. */
function useHost(manifest: PreviewManifest, dark: boolean) {
  const webAPI = React.useMemo(() => webApi(manifest.entitySets), [manifest]);
  const openForm = React.useCallback((entityName: string, entityId: string) => {
    location.hash = href({ page: "record", table: entityName, id: entityId });
  }, []);
  const theme: Theme = dark ? webDarkTheme : webLightTheme;
  return { theme, dark, webAPI, openForm };
}
