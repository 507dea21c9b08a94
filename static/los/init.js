// GOV.UK Frontend behaviour (accordions, error summaries, etc.). Loaded as a
// module file so that the Content-Security-Policy needs no inline script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Wide tables scroll inside their own container on a narrow screen, not the page (issue 15 point 7).
// A wrapper, not display:block on the table, so the table keeps its semantics for screen readers.
for (const table of document.querySelectorAll("table.govuk-table")) {
  if (table.parentElement.classList.contains("los-table-scroll")) continue;
  const box = document.createElement("div");
  box.className = "los-table-scroll";
  box.tabIndex = 0; // keyboard users can scroll it
  box.setAttribute("role", "region");
  const caption = table.querySelector("caption");
  box.setAttribute("aria-label", (caption && caption.textContent.trim()) || "Table");
  table.parentNode.insertBefore(box, table);
  box.appendChild(table);
}

// Work in progress (an import being read, the background work list) keeps itself current without
// a <meta http-equiv="refresh">, which reloads the whole page under a screen reader's feet
// (WCAG 2.2.1; axe-core's meta-refresh rule). Elements marked data-los-refresh="seconds" are
// fetched again and swapped in place, inside a polite live region; when the fetched page has
// none left (the work has finished), the whole page is loaded once to show the result.
const live = document.querySelectorAll("[data-los-refresh][id]");
if (live.length) {
  const seconds = Math.max(1, parseInt(live[0].dataset.losRefresh, 10) || 2);
  for (const el of live) el.setAttribute("aria-live", "polite");
  const timer = setInterval(async () => {
    let page;
    try {
      const response = await fetch(location.href, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return; // try again next time; a passing outage should not stop the updates
      page = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      return;
    }
    if (!page.querySelector("[data-los-refresh]")) {
      clearInterval(timer);
      location.reload();
      return;
    }
    for (const el of live) {
      const fresh = page.getElementById(el.id);
      if (fresh && fresh.innerHTML !== el.innerHTML) el.innerHTML = fresh.innerHTML;
    }
  }, seconds * 1000);
}
