// This computer: the doctor's report, findings first.

import type { App } from "../app";
import type { Report } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { bytes, seconds } from "../format";

export function computerView(app: App): HTMLElement {
  const { report, error, loading } = app.computer;
  const again = h("button", { type: "button", class: "secondary", disabled: loading, onclick: () => void app.computer.check() }, loading ? "Checking…" : "Check again");
  const head = h("div", { class: "section-head" }, h("h1", {}, "This computer"), again);
  if (error) return h("section", { class: "computer" }, head, errorPanel(error));
  if (!report) return h("section", { class: "computer" }, head, h("p", { class: "muted" }, "Checking this computer…"));
  const r = report;
  return h(
    "section",
    { class: "computer" },
    head,
    h(
      "p",
      { class: `summary ${r.ready ? "ok" : "bad"}`, id: "ready" },
      h("strong", {}, r.ready ? "Ready for notebooks. " : "Not ready yet. "),
      r.ready_reason,
    ),
    findings(r),
    h(
      "div",
      { class: "grid" },
      box("System", [
        ["OS", `${r.os.name}${r.os.version && !r.os.name.includes(r.os.version) ? ` ${r.os.version}` : ""} (${r.os.arch})`],
        ["Kernel", r.os.kernel ?? "—"],
        ["Processor", `${r.resources.cpu_model ?? "unknown"}, ${r.resources.logical_cores} threads`],
        ["Memory", `${bytes(r.resources.memory_available_bytes)} free of ${bytes(r.resources.memory_total_bytes)}`],
        ["Disk", r.resources.disk ? `${bytes(r.resources.disk.available_bytes)} free of ${bytes(r.resources.disk.total_bytes)} (${r.resources.disk.mount_point})` : "unknown"],
      ]),
      box("Python", [
        ["Will use", r.python.chosen ? `${r.python.chosen.version} — ${r.python.chosen.path}` : "none found"],
        ["Why", r.python.chosen?.reason ?? "—"],
        ["Installer", r.python.uv ? `uv (${r.python.uv})` : "uv is fetched on first use"],
      ]),
      box("Nix", [["Status", nix(r)]]),
      box("Graphics card", [
        ["GPU", r.gpu.devices.length ? r.gpu.devices.map((d) => d.name).join(", ") : (r.gpu.absent_reason ?? "none")],
        ["Driver", r.gpu.driver_version ?? "—"],
        ["CUDA", r.gpu.cuda_driver_version ?? "—"],
        ["PyTorch", torch(r)],
      ]),
      r.wsl ? box("WSL", [["Status", wsl(r)]]) : null,
    ),
    interpreters(r),
    h("p", { class: "muted small" }, `Darwinix ${r.darwinix_version} · checked in ${seconds(r.elapsed_ms)}`),
  );
}

function findings(r: Report): HTMLElement | null {
  if (r.findings.length === 0) return h("p", { class: "muted" }, "Nothing to fix.");
  return h(
    "ul",
    { class: "findings", "aria-label": "Findings" },
    r.findings.map((f) =>
      h(
        "li",
        { class: `finding ${f.severity}`, "data-code": f.code },
        h("span", { class: "sev" }, f.severity === "error" ? "Problem" : f.severity === "warn" ? "Warning" : "Note"),
        h("div", {}, h("p", {}, f.message), f.fix ? h("p", { class: "hint" }, h("strong", {}, "Fix: "), f.fix) : null),
      ),
    ),
  );
}

function box(title: string, rows: [string, string][]): HTMLElement {
  return h(
    "div",
    { class: "box" },
    h("h2", {}, title),
    h("dl", { class: "facts" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
  );
}

/** Which PyTorch wheels fit this computer (what `darwinix gpu` and the gpu template use). */
export function torch(r: Report): string {
  const t = r.gpu.torch;
  switch (t.kind) {
    case "cuda":
      return `CUDA wheels (${t.tag})`;
    case "mps":
      return "Apple Metal (MPS), default wheels";
    case "cpu":
      return "CPU-only wheels";
  }
}

function nix(r: Report): string {
  switch (r.nix.status) {
    case "absent":
      return "not installed (optional)";
    case "broken":
      return `broken: ${r.nix.reason}`;
    case "present":
      return `${r.nix.flavour} ${r.nix.version} at ${r.nix.path}, flakes ${r.nix.flakes === null ? "unknown" : r.nix.flakes ? "on" : "off"}`;
  }
}

function wsl(r: Report): string {
  const w = r.wsl!;
  switch (w.status) {
    case "not_installed":
      return "not installed";
    case "no_distros":
      return "installed, no Linux distribution yet";
    case "installed":
      return w.distros.map((d) => `${d.name}${d.default ? " (default)" : ""}: ${d.state}`).join(", ");
  }
}

function interpreters(r: Report): HTMLElement {
  return h(
    "details",
    { class: "interpreters" },
    h("summary", {}, `All Pythons found (${r.python.interpreters.length})`),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Version"), h("th", { scope: "col" }, "Path"), h("th", { scope: "col" }, "Found via"), h("th", { scope: "col" }, "Notes"))),
      h(
        "tbody",
        {},
        r.python.interpreters.map((i) =>
          h(
            "tr",
            {},
            h("td", {}, i.version),
            h("td", { class: "path" }, i.path),
            h("td", {}, i.source.replace("_", " ")),
            h("td", {}, [!i.has_venv ? "no venv module" : "", i.externally_managed ? "system-managed" : ""].filter(Boolean).join(", ") || "—"),
          ),
        ),
      ),
    ),
  );
}
