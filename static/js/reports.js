// The Reports section of a record's page: while a PDF is queued or being made, ask the server
// for its status every few seconds and show the result in its row, announcing it through the
// section's live region. Without this script the page shows the status when it is reloaded.

const FIRST_WAIT_MS = 1500;
const LONGEST_WAIT_MS = 10000;
const GIVE_UP_AFTER_MS = 15 * 60 * 1000;
const FINISHED = new Set(["done", "failed"]);
const TAGS = { done: "ds_tag--green", failed: "ds_tag--red", running: "ds_tag--blue" };

function tag(status, label) {
  const strong = document.createElement("strong");
  strong.className = `ds_tag ${TAGS[status] || "ds_tag--grey"}`;
  strong.textContent = label;
  return strong;
}

function hint(text) {
  const span = document.createElement("span");
  span.className = "ds_hint-text";
  span.textContent = text;
  return span;
}

function sizeText(bytes) {
  if (bytes === null || bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function show(row, report) {
  row.dataset.reportStatus = report.status;
  const state = row.querySelector("[data-report-state]");
  state.replaceChildren(tag(report.status, report.status_label));
  if (report.status === "failed" && report.message) {
    state.append(document.createElement("br"), hint(report.message));
  }
  const download = row.querySelector("[data-report-download]");
  if (report.status === "done" && report.download_url) {
    const link = document.createElement("a");
    link.href = report.download_url;
    link.textContent = "Download PDF";
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = `: ${row.dataset.reportName}`;
    link.append(hidden);
    download.replaceChildren(link, " ", hint(`(${sizeText(report.size)})`));
  }
}

function announce(live, row, report) {
  const name = row.dataset.reportName;
  live.textContent =
    report.status === "done"
      ? `${name}: the PDF is ready to download.`
      : `${name}: the PDF could not be made. ${report.message || ""}`.trim();
}

function watch(row, live) {
  const url = row.dataset.reportStatusUrl;
  const started = Date.now();
  let wait = FIRST_WAIT_MS;
  const check = async () => {
    let report;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (!response.ok) return; // gone, or signed out: leave the row as the page showed it
      report = await response.json();
    } catch {
      report = null; // a network blip: try again later
    }
    if (report) {
      if (report.status !== row.dataset.reportStatus) show(row, report);
      if (FINISHED.has(report.status)) {
        announce(live, row, report);
        return;
      }
    }
    if (Date.now() - started > GIVE_UP_AFTER_MS) return;
    wait = Math.min(wait * 1.5, LONGEST_WAIT_MS);
    window.setTimeout(check, wait);
  };
  window.setTimeout(check, wait);
}

for (const section of document.querySelectorAll("[data-reports]")) {
  const live = section.querySelector("[data-reports-live]");
  for (const row of section.querySelectorAll("[data-report-status-url]")) {
    if (!FINISHED.has(row.dataset.reportStatus)) watch(row, live);
  }
}
