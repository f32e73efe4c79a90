// One typed wrapper per command of the app (src-tauri/src/*commands.rs). The types come from
// the engine through ts-rs (src/bindings), so the window cannot drift from it.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
import * as autostart from "@tauri-apps/plugin-autostart";
import type { BackendChoice } from "./bindings/BackendChoice";
import type { Found } from "./bindings/Found";
import type { GpuCheck } from "./bindings/GpuCheck";
import type { GpuReady } from "./bindings/GpuReady";
import type { BrowserFailed } from "./bindings/BrowserFailed";
import type { Change } from "./bindings/Change";
import type { Cleaned } from "./bindings/Cleaned";
import type { CourseFileUpdate } from "./bindings/CourseFileUpdate";
import type { CourseInfo } from "./bindings/CourseInfo";
import type { CourseLink } from "./bindings/CourseLink";
import type { CourseOpened } from "./bindings/CourseOpened";
import type { CourseUpdate } from "./bindings/CourseUpdate";
import type { LinkOffer } from "./bindings/LinkOffer";
import type { LinkOpened } from "./bindings/LinkOpened";
import type { ShareFile } from "./bindings/ShareFile";
import type { Shared } from "./bindings/Shared";
import type { ShareView } from "./bindings/ShareView";
import type { Changed } from "./bindings/Changed";
import type { Listing } from "./bindings/Listing";
import type { OnIndex } from "./bindings/OnIndex";
import type { Package } from "./bindings/Package";
import type { Home } from "./bindings/Home";
import type { HubInfo } from "./bindings/HubInfo";
import type { HubServer } from "./bindings/HubServer";
import type { HubStatus } from "./bindings/HubStatus";
import type { IpcError } from "./bindings/IpcError";
import type { NotebookView } from "./bindings/NotebookView";
import type { OpenTarget } from "./bindings/OpenTarget";
import type { Pending } from "./bindings/Pending";
import type { ProjectSettings } from "./bindings/ProjectSettings";
import type { ProjectView } from "./bindings/ProjectView";
import type { PurgeReport } from "./bindings/PurgeReport";
import type { RecentNotebook } from "./bindings/RecentNotebook";
import type { Report } from "./bindings/Report";
import type { ServerInfo } from "./bindings/ServerInfo";
import type { Settings } from "./bindings/Settings";
import type { LanguageChoices } from "./bindings/LanguageChoices";
import type { SetupEvent } from "./bindings/SetupEvent";
import type { Status } from "./bindings/Status";
import type { RunningCells } from "./bindings/RunningCells";
import type { StopAsked } from "./bindings/StopAsked";
import type { StopWhat } from "./bindings/StopWhat";
import type { StorageReport } from "./bindings/StorageReport";
import type { ServersOnUpdate } from "./bindings/ServersOnUpdate";
import type { UpdateStatus } from "./bindings/UpdateStatus";
import type { WayOut } from "./bindings/WayOut";
import type { TrustAsk } from "./bindings/TrustAsk";
import type { TrustChoice } from "./bindings/TrustChoice";
import type { TrustDecision as Decision } from "./bindings/TrustDecision";

export type {
  BackendChoice,
  BrowserFailed,
  CourseFileUpdate,
  CourseInfo,
  CourseLink,
  CourseOpened,
  CourseUpdate,
  LinkOffer,
  LinkOpened,
  ShareFile,
  Shared,
  ShareView,
  Change,
  Changed,
  Listing,
  OnIndex,
  Package,
  Found,
  GpuCheck,
  GpuReady,
  Home,
  HubInfo,
  HubServer,
  HubStatus,
  IpcError,
  NotebookView,
  OpenTarget,
  Pending,
  RecentNotebook,
  ProjectSettings,
  ProjectView,
  Report,
  ServerInfo,
  Settings,
  LanguageChoices,
  SetupEvent,
  Status,
  RunningCells,
  StopAsked,
  StopWhat,
  ServersOnUpdate,
  UpdateStatus,
  WayOut,
  TrustAsk,
  TrustChoice,
  Decision,
};
export type Template = "default" | "minimal" | "ai" | "gpu";

/** Whatever a command threw, as an IpcError (the engine's errors already are one). */
export function asIpcError(err: unknown): IpcError {
  if (err && typeof err === "object" && "message" in err) {
    const e = err as Partial<IpcError>;
    return {
      message: String(e.message),
      hint: e.hint ?? null,
      details: e.details ?? String(e.message),
      action: e.action ?? null,
    };
  }
  return { message: String(err), hint: null, details: String(err), action: null };
}

function channel(onEvent: (e: SetupEvent) => void): Channel<SetupEvent> {
  return new Channel<SetupEvent>(onEvent);
}

export const api = {
  home: () => invoke<Home>("home"),
  openProject: (dir: string) => invoke<ProjectView>("open_project", { dir }),
  newProject: (dir: string, template: Template) =>
    invoke<ProjectView>("new_project", { dir, template }),
  startNotebook: (dir: string, notebook: string | null, onEvent: (e: SetupEvent) => void) =>
    invoke<ServerInfo>("start_notebook", { dir, notebook, onEvent: channel(onEvent) }),
  servers: () => invoke<Status[]>("servers"),
  openServer: (dir: string, notebook: string | null = null) => invoke<void>("open_server", { dir, notebook }),
  serverLink: (dir: string) => invoke<string>("server_link", { dir }),
  stopServer: (dir: string) => invoke<void>("stop_server", { dir }),
  /** The notebooks still running a cell on the server of `dir` (null: on every server here). */
  runningCells: (dir: string | null) => invoke<RunningCells>("running_cells", { dir }),
  /** A stop begun by the tray, Quit or an update, waiting for the user's answer (taken once). */
  pendingStop: () => invoke<StopAsked | null>("pending_stop"),
  /** Stop anyway: the stop the question was about. */
  stopAnyway: (what: StopWhat) => invoke<void>("stop_anyway", { what }),
  restartServer: (dir: string, onEvent: (e: SetupEvent) => void) =>
    invoke<ServerInfo>("restart_server", { dir, onEvent: channel(onEvent) }),
  serverLog: (dir: string) => invoke<string>("server_log", { dir }),
  doctor: () => invoke<Report>("doctor"),
  getSettings: () => invoke<Settings>("get_settings"),
  saveSettings: (settings: Settings) => invoke<Settings>("save_settings", { settings }),
  languages: () => invoke<LanguageChoices>("languages"),
  projectSettings: (dir: string) => invoke<ProjectSettings>("project_settings", { dir }),
  setBackend: (dir: string, backend: BackendChoice) =>
    invoke<ProjectSettings>("set_backend", { dir, backend }),
  makeGpuReady: (dir: string) => invoke<GpuReady>("make_gpu_ready", { dir }),
  keepReady: (dir: string) => invoke<boolean>("keep_ready", { dir }),
  notebooks: (dir: string) => invoke<NotebookView[]>("notebooks", { dir }),
  openPath: (path: string) => invoke<OpenTarget>("open_path", { path }),
  pending: () => invoke<Pending>("pending"),
  /** A course link clicked on a web page, read by the app (never opened before the user says). */
  pendingLink: () => invoke<LinkOffer | null>("pending_link"),
  /** Where courses go: the folder chosen last, else ~/Darwinix. */
  coursePlace: () => invoke<string>("course_place"),
  /** `into`: a folder chosen now (remembered); `allowLarge`: Download anyway. */
  openLink: (link: string, into: string | null, allowLarge: boolean, onEvent: (e: SetupEvent) => void) =>
    invoke<LinkOpened>("open_link", { link, into, allowLarge, onEvent: channel(onEvent) }),
  courseOf: (dir: string) => invoke<CourseInfo | null>("course_of", { dir }),
  courseUpdate: (dir: string, onEvent: (e: SetupEvent) => void) =>
    invoke<CourseUpdate>("course_update", { dir, onEvent: channel(onEvent) }),
  /** Resolves with the dated folder the student's copy was kept in. */
  courseStartOver: (dir: string, onEvent: (e: SetupEvent) => void) =>
    invoke<string>("course_start_over", { dir, onEvent: channel(onEvent) }),
  sharePlan: (dir: string) => invoke<ShareView>("share_plan", { dir }),
  shareExport: (dir: string, offline: boolean, includeLarge: boolean, out: string | null, onEvent: (e: SetupEvent) => void) =>
    invoke<Shared>("share_export", { dir, offline, includeLarge, out, onEvent: channel(onEvent) }),
  /** A shared project file, unpacked into a new folder and made current. */
  openShared: (file: string) => invoke<OpenTarget>("open_shared", { file }),
  packagesFound: (dir: string) => invoke<Found | null>("packages_found", { dir }),
  writeRequirements: (dir: string, packages: string[]) =>
    invoke<void>("write_requirements", { dir, packages }),
  setIgnorePins: (dir: string, ignore: boolean) =>
    invoke<ProjectSettings>("set_ignore_pins", { dir, ignore }),
  takeWayOut: (dir: string, way: WayOut) => invoke<ProjectSettings>("take_way_out", { dir, way }),
  setSharedJupyterlab: (dir: string, shared: boolean) =>
    invoke<ProjectSettings>("set_shared_jupyterlab", { dir, shared }),
  /** Install (3.5 GB): yes to a big install of `bytes` (the project's installs up to it). */
  confirmBigInstall: (dir: string, bytes: number) =>
    invoke<ProjectSettings>("confirm_big_install", { dir, bytes }),
  /** The trust prompt's answer for a folder (remembered by path and owner). */
  trustFolder: (dir: string, choice: TrustChoice) =>
    invoke<ProjectSettings>("trust_folder", { dir, choice }),
  trustedFolders: () => invoke<Decision[]>("trusted_folders"),
  forgetTrust: (dir: string) => invoke<Decision[]>("forget_trust", { dir }),
  /** `file`: a setup file of the project (relative), or null for Darwinix's own choice. */
  setSourceFile: (dir: string, file: string | null) =>
    invoke<ProjectSettings>("set_source_file", { dir, file }),
  /** `version`: "3.9", or null for what the project's files ask for. */
  setPythonVersion: (dir: string, version: string | null) =>
    invoke<ProjectSettings>("set_python_version", { dir, version }),
  packages: (dir: string) => invoke<Listing>("packages", { dir }),
  searchPackage: (dir: string, name: string) => invoke<OnIndex>("search_package", { dir, name }),
  changePackages: (dir: string, change: Change, onEvent: (e: SetupEvent) => void) =>
    invoke<Changed>("change_packages", { dir, change, onEvent: channel(onEvent) }),
  freezeVersions: (dir: string) => invoke<number>("freeze_versions", { dir }),
  restartKernels: (dir: string) => invoke<number>("restart_kernels", { dir }),
  testRemote: (address: string, onEvent: (e: SetupEvent) => void) =>
    invoke<ProjectView>("test_remote", { address, onEvent: channel(onEvent) }),
  hubs: () => invoke<HubStatus[]>("hubs"),
  /** `allowInsecureHttp`: the user ticked Connect without encryption for a plain http:// hub
   * on another computer (the engine refuses it otherwise, before any request). */
  hubAdd: (url: string, token: string, allowInsecureHttp = false) =>
    invoke<HubInfo>("hub_add", { url, token, allowInsecureHttp }),
  hubStart: (url: string, server: string | null, onEvent: (e: SetupEvent) => void) =>
    invoke<HubServer>("hub_start", { url, server, onEvent: channel(onEvent) }),
  hubStop: (url: string, server: string | null) => invoke<HubServer>("hub_stop", { url, server }),
  hubOpen: (url: string, server: string | null) => invoke<void>("hub_open", { url, server }),
  hubRemove: (url: string) => invoke<void>("hub_remove", { url }),
  storage: () => invoke<StorageReport>("storage"),
  freeUvCache: () => invoke<Cleaned>("free_uv_cache"),
  removeUnusedRuntimes: () => invoke<Cleaned>("remove_unused_runtimes"),
  removeVenv: (dir: string) => invoke<Cleaned>("remove_venv", { dir }),
  purgePreview: () => invoke<PurgeReport>("purge_preview"),
  purgeData: () => invoke<PurgeReport>("purge_data"),
  quitApp: () => invoke<void>("quit_app"),
  updateStatus: () => invoke<UpdateStatus>("update_status"),
  checkUpdate: () => invoke<UpdateStatus>("check_update"),
  /** Does not resolve when it works: the app restarts as the new version. */
  installUpdate: (servers: ServersOnUpdate) => invoke<void>("install_update", { servers }),
  openReleasePage: () => invoke<void>("open_release_page"),

  /** Something arrived for the window (a notebook to open, a browser that failed): ask `pending`. */
  onPending: (cb: () => void): Promise<UnlistenFn> => listen("pending", () => cb()),

  /** The app tells the window when servers start, stop or vanish (also from the CLI), and when
   * the uptime or memory a card shows changes: the window never polls. */
  onServersChanged: (cb: (servers: Status[]) => void): Promise<UnlistenFn> =>
    listen<Status[]>("servers-changed", (e) => cb(e.payload)),

  /** A stop begun outside the window waits for the user's answer: ask `pendingStop`. */
  onStopAsked: (cb: () => void): Promise<UnlistenFn> => listen("stop-asked", () => cb()),

  /** The hubs, asked by the app every little while and after every change. */
  onHubsChanged: (cb: (hubs: HubStatus[]) => void): Promise<UnlistenFn> =>
    listen<HubStatus[]>("hubs-changed", (e) => cb(e.payload)),

  /** The background check found an update, refused one, or Check now / Install moved on. */
  onUpdateChanged: (cb: (status: UpdateStatus) => void): Promise<UnlistenFn> =>
    listen<UpdateStatus>("update-changed", (e) => cb(e.payload)),

  pickFolder: async (title: string): Promise<string | null> => {
    const picked = await openDialog({ directory: true, multiple: false, title });
    return typeof picked === "string" ? picked : null;
  },
  /** The system's open dialog for a shared project file (`Name.darwinix.zip`). */
  pickSharedFile: async (title: string): Promise<string | null> => {
    const picked = await openDialog({ multiple: false, title, filters: [{ name: "Darwinix project", extensions: ["zip"] }] });
    return typeof picked === "string" ? picked : null;
  },
  /** The system's save dialog for a shared project file, at `defaultPath`. */
  pickSaveFile: async (title: string, defaultPath: string): Promise<string | null> => {
    const picked = await saveDialog({ title, defaultPath, filters: [{ name: "Darwinix project", extensions: ["zip"] }] });
    return picked ?? null;
  },
  copy: (text: string) => writeText(text),
  openAtLogin: {
    get: () => autostart.isEnabled(),
    set: (on: boolean) => (on ? autostart.enable() : autostart.disable()),
  },
};
