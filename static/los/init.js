// GOV.UK Frontend behaviour (accordions, error summaries, etc.). Loaded as a
// module file so that the Content-Security-Policy needs no inline script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
