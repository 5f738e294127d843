// Toolbox: small progressive enhancements on top of htmx. Loaded with SRI; no inline code.
(function () {
  "use strict";

  // Mark forms busy while an htmx request is in flight, for assistive technology.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest("form");
    if (form) form.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest("form");
    if (form) form.removeAttribute("aria-busy");
  });

  // When the server cannot be reached, say so where the result would have appeared.
  document.addEventListener("htmx:sendError", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    var box = document.createElement("div");
    box.className = "error-box";
    box.setAttribute("role", "alert");
    box.textContent = "The server could not be reached. Check your connection and try again.";
    target.replaceChildren(box);
  });

  // Buttons whose response is a file (downloads): submit natively, not through htmx.
  // form.submit() fires no submit event, so htmx does not intercept it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-native-submit]");
    if (!button || !button.form) return;
    event.preventDefault();
    var form = button.form;
    var action = form.getAttribute("action");
    form.setAttribute("action", button.getAttribute("formaction") || action);
    form.submit();
    form.setAttribute("action", action);
  });

  // Copy buttons: <button type="button" data-copy="#element-id">Copy</button>
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button || !navigator.clipboard) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = "value" in source ? source.value : source.textContent;
    navigator.clipboard.writeText(text).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
})();
