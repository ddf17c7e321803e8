// Starts the Scottish Government Design System's scripts (navigation toggle, tables, etc.)
// and moves focus to an error summary so screen reader users hear what went wrong.
import DS from "../sgds/scripts/design-system.js";

DS.initAll();

const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}
