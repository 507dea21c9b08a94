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
