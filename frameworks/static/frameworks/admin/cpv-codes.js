// The CPV codes box of the framework editor (frameworks/admin/cpv.py, CpvCodesWidget): reveals
// its "Choose CPV codes" button, which opens Wagtail's chooser modal (several codes at once)
// and adds the codes picked to the text box. Without this script the box still takes typed
// codes. Lots added later on the page (the inline panel's "Add") get a working button too.
(() => {
  "use strict";

  const digits = (code) => code.slice(0, 8);
  const codesIn = (input) => input.value.split(/[\s,;]+/).filter(Boolean);

  const add = (root, results) => {
    const input = root.querySelector("input");
    const list = root.querySelector("[data-cpv-codes-list]");
    const codes = codesIn(input);
    const have = new Set(codes.map(digits));
    [].concat(results).forEach((result) => {
      if (have.has(digits(result.code))) {
        return;
      }
      have.add(digits(result.code));
      codes.push(result.code);
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = result.code;
      item.append(code, ` ${result.label}`);
      list.append(item);
    });
    list.hidden = list.children.length === 0;
    input.value = codes.join(", ");
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  };

  const open = (root) => {
    window.ModalWorkflow({
      url: root.dataset.cpvCodesUrl,
      urlParams: { multiple: 1 },
      onload: window.CHOOSER_MODAL_ONLOAD_HANDLERS,
      responses: { chosen: (results) => add(root, results) },
    });
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-cpv-codes-choose]");
    if (button) {
      event.preventDefault();
      open(button.closest("[data-cpv-codes]"));
    }
  });

  const reveal = () =>
    document.querySelectorAll("[data-cpv-codes-choose][hidden]").forEach((button) => {
      button.hidden = false;
    });

  const start = () => {
    reveal();
    new MutationObserver(reveal).observe(document.body, { childList: true, subtree: true });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
