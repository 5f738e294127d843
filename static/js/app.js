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

  // The page's one status line for screen readers (base.html): a swapped result names itself in a
  // data-status attribute ("Decoded: JWS, 2 findings"); copies say "Copied".
  function announce(text) {
    var live = document.getElementById("live-status");
    if (!live || !text) return;
    live.textContent = "";
    // A fresh text node after a tick, so the same words twice are announced twice.
    setTimeout(function () { live.textContent = text; }, 50);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.target.querySelector("[data-status]");
    if (status) announce(status.getAttribute("data-status"));
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

  // Copy buttons: <button type="button" data-copy="#element-id" hidden>Copy</button>. They are
  // hidden until this script runs (they do nothing without it), and copy even where the Clipboard
  // API is absent (plain HTTP on an intranet name) through a selected, off-screen textarea.
  function showCopyButtons(root) {
    root.querySelectorAll("button[data-copy][hidden], button[data-download][hidden]").forEach(function (b) {
      b.hidden = false;
    });
  }
  showCopyButtons(document);
  document.addEventListener("htmx:afterSwap", function (event) { showCopyButtons(event.target); });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var copied = document.execCommand("copy");
      document.body.removeChild(area);
      if (copied) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = "value" in source ? source.value : source.textContent;
    var label = button.textContent;
    copyText(text).then(function () {
      button.textContent = "Copied";
      announce("Copied");
      setTimeout(function () { button.textContent = label; }, 1500);
    }, function () {
      button.textContent = "Select and copy by hand";
      setTimeout(function () { button.textContent = label; }, 2500);
    });
  });

  // Live formatting (a textarea with data-live-limit, json/index.html). What the server last got
  // from each such textarea, so a typing pause after a paste does not send the same text again.
  var lastSent = new WeakMap();
  var sendingPaste = false;
  function liveArea(form) {
    return form ? form.querySelector("textarea[data-live-limit]") : null;
  }
  // htmx:confirm comes before htmx's request queue (hx-sync), so a request cancelled here never
  // aborts one in flight.
  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail || {};
    var trigger = detail.triggeringEvent;
    if (trigger && trigger.type === "paste" && trigger.defaultPrevented) {
      event.preventDefault(); // a large paste, already sent by the handler below
      return;
    }
    var area = detail.elt;
    if (!area || !area.matches("textarea[data-live-limit]")) return;
    // A typing pause: not above the limit (the server would only answer "press Format") and not
    // for text the server already has.
    var limit = Number(area.getAttribute("data-live-limit"));
    if (area.value.length > limit || lastSent.get(area) === area.value) event.preventDefault();
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt) return;
    var area = elt.matches("textarea[data-live-limit]") ? elt : liveArea(elt.closest("form"));
    // The paste handler's own request carries text the textarea does not show yet.
    if (area && !sendingPaste) lastSent.set(area, area.value);
  });

  // A paste is sent at once: forms that decode as you type listen for "pasted" (jwt/index.html),
  // fired once the pasted text is in the field. Any htmx trigger clears the element's pending
  // delayed one, so the typing pause the paste also started sends nothing more.
  document.addEventListener("paste", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    if (!form || event.defaultPrevented || event.target.hasAttribute("data-live-limit")) return;
    setTimeout(function () { form.dispatchEvent(new CustomEvent("pasted")); }, 0);
  });

  // A large paste is sent before the textarea shows it: inserting megabytes into a textarea
  // takes the browser about half a second, which the request need not wait for. (The paste then
  // cannot be undone with Ctrl+Z; a small paste is left to the browser.)
  document.addEventListener("paste", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-live-limit")) return;
    var form = area.form;
    var text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!form || !window.htmx || text.length <= Number(area.getAttribute("data-live-limit"))) return;
    event.preventDefault(); // the form's own paste trigger sees this and stands down (htmx:confirm)
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var value = area.value.slice(0, start) + text + area.value.slice(end);
    lastSent.set(area, value);
    sendingPaste = true;
    try {
      window.htmx.ajax("POST", form.getAttribute("hx-post"), { source: form, values: { text: value } });
    } finally {
      sendingPaste = false;
    }
    setTimeout(function () { area.setRangeText(text, start, end, "end"); }, 0);
  }, true);

  // Download buttons: <button data-download="#element-id" data-filename="x.json" hidden>: the
  // block's text as a file, made in the browser (nothing is sent anywhere).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-download]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-download"));
    if (!source) return;
    var url = URL.createObjectURL(new Blob([source.textContent], { type: "text/plain;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = button.getAttribute("data-filename") || "download.txt";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    announce("Downloaded " + link.download);
  });

  // After an explicit action (Format, Verify, Check, Validate, Sign), bring the result into view
  // when it is off screen: on a phone it sits below the whole form. Typing-pause results never
  // move the page.
  document.addEventListener("htmx:afterSwap", function (event) {
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!trigger || trigger.type !== "submit") return;
    var result = event.detail.target;
    if (!result || !result.getBoundingClientRect) return;
    var box = result.getBoundingClientRect();
    // Stacked (narrow) layout: the verdict goes to the top of the screen unless already near it.
    var stacked = !window.matchMedia("(min-width: 64rem)").matches;
    var low = stacked ? window.innerHeight / 3 : window.innerHeight - 96;
    if (box.top < 0 || box.top > low) result.scrollIntoView({ block: "start" });
  });

  // "Try a sample" and "Clear" are links that replace the form: ask first when the user has
  // typed something (nothing is kept in browser storage, so it could not come back).
  function edited(form) {
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && /^(text|url|search|number|)$/.test(field.type))) {
        return field.value !== field.defaultValue;
      }
      if (field.tagName === "SELECT") {
        return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return false;
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("form a.button") : null;
    if (!link || !edited(link.closest("form"))) return;
    if (!window.confirm("Replace what you typed? It is not kept anywhere.")) event.preventDefault();
  });

  // Ctrl+Enter (Cmd+Enter on a Mac) in a form submits it, with its main button as the submitter.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.closest ? event.target.closest("form") : null;
    if (!form) return;
    event.preventDefault();
    var submit = form.querySelector("button[type=submit]:not([data-native-submit])");
    form.requestSubmit(submit || undefined);
  });
})();
