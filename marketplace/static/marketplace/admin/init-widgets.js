// Starts the admin widgets that Wagtail starts with inline scripts, which the admin's content
// security policy refuses. Our overrides of those templates (marketplace/templates/wagtailadmin)
// write the call as data instead: data-admin-init names the initialiser, data-admin-init-args
// holds its arguments as JSON. Rows added later (an inline panel's "Add") are started too.
(() => {
  "use strict";

  const FUNCTIONS = new Set(["initDateChooser", "initTimeChooser", "initDateTimeChooser"]);
  const CONSTRUCTORS = new Set(["InlinePanel", "Chooser", "DocumentChooser", "PageChooser"]);

  const start = (element) => {
    const name = element.dataset.adminInit;
    element.removeAttribute("data-admin-init");
    const args = JSON.parse(element.dataset.adminInitArgs);
    if (FUNCTIONS.has(name)) {
      window[name](...args);
    } else if (CONSTRUCTORS.has(name)) {
      new window[name](...args);
    }
  };

  // Each element is started once: start() removes its data-admin-init, so the look-up after
  // each batch of changes to the page finds only what was added since.
  const startAll = () => document.querySelectorAll("[data-admin-init]").forEach(start);

  const startNowAndLater = () => {
    startAll();
    new MutationObserver(startAll).observe(document.body, { childList: true, subtree: true });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startNowAndLater);
  } else {
    startNowAndLater();
  }
})();
